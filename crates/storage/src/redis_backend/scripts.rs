//! The Lua scripts behind the atomic operations. Each touches one key, or keys sharing a hash
//! tag, so it runs on one Redis Cluster node.

use redis::Script;
use std::sync::LazyLock;

/// Compare-and-swap on a counter field of a JSON record (`revision`, `generation`). KEYS[1];
/// ARGV[1] new JSON, ARGV[2] its value of the field, ARGV[3] new TTL in ms or "keep", ARGV[4]
/// the field. Returns 1 when replaced.
pub(crate) static CAS_REVISION: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
if (cjson.decode(cur)[ARGV[4]] or 0) + 1 ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == 'keep' then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
end
return 1
"#,
    )
});

/// Redeems a code once. KEYS[1] the code, KEYS[2] its redemption marker; ARGV[1] the grant.
/// Returns {0} unknown, {1, code} first, {2, grant} replay.
pub(crate) static REDEEM_CODE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local code = redis.call('GET', KEYS[1])
if not code then return {0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = 1 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ttl) then return {1, code} end
return {2, redis.call('GET', KEYS[2])}
"#,
    )
});

/// Fixed-window counter. KEYS[1]; ARGV[1] window in ms. Returns the new count.
pub(crate) static INCREMENT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local v = redis.call('INCR', KEYS[1])
-- A new counter starts its window; one brought back to zero by RELEASE keeps its window.
-- Only a count of 1 can be new: a higher one already has its window (set in this script).
if v == 1 and redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return v
"#,
    )
});

/// Takes back one increment, never below zero, keeping the window. KEYS[1].
pub(crate) static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local v = tonumber(redis.call('GET', KEYS[1]))
if v and v > 0 then redis.call('DECR', KEYS[1]) end
return 0
"#,
    )
});

/// Several fixed-window counters and reads in one command: the first ARGV[1] keys are counted
/// as INCREMENT does, with windows ARGV[2..] in ms; the other keys are read. Returns the
/// counts, then the values read (0 for absent).
pub(crate) static TALLY: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local n = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  if i <= n then
    local v = redis.call('INCR', KEYS[i])
    if v == 1 and redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[i + 1]) end
    out[i] = v
  else
    out[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
end
return out
"#,
    )
});

/// Holds KEYS[1] for ARGV[1] ms unless held: -1 when held now, else the ms left of the hold.
pub(crate) static HOLD: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return -1 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then left = 0 end
return left
"#,
    )
});

/// Sets a marker for at least ARGV[1] ms, never shortening an existing one. KEYS[1].
pub(crate) static MARK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local ttl = redis.call('PTTL', KEYS[1])
local want = tonumber(ARGV[1])
if ttl > want then want = ttl end
redis.call('SET', KEYS[1], '1', 'PX', want)
return 1
"#,
    )
});

/// Sets the fields of a hash only if it is empty. KEYS[1]; ARGV field, value pairs. 1 if set.
pub(crate) static HSET_IF_EMPTY: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('HLEN', KEYS[1]) > 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
"#,
    )
});

/// Records a message's status once. KEYS[1] the message's hash; ARGV[1] the status field,
/// ARGV[2] its time. Returns nil when the message is unknown, else {1 if first, HGETALL}.
pub(crate) static RECORD_STATUS: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local first = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
return {first, redis.call('HGETALL', KEYS[1])}
"#,
    )
});

/// Adds ARGV[1] with score ARGV[2] (an absolute end, in seconds) to the index KEYS[1], drops
/// entries that ended before ARGV[3] (now), and lets the index live at least until that end
/// (from now, on the caller's clock). With KEYS[2], also raises the number there to ARGV[4]
/// (a person's last login).
pub(crate) static INDEX_ADD: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
local want = (tonumber(ARGV[2]) - tonumber(ARGV[3]) + 1) * 1000
if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
if KEYS[2] then
  local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tonumber(ARGV[4]) > seen then redis.call('SET', KEYS[2], ARGV[4]) end
end
return 1
"#,
    )
});

/// Deletes KEYS[1] if it holds ARGV[1]. Returns 1 when deleted.
pub(crate) static DEL_IF_EQ: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#,
    )
});

/// Appends an event. KEYS[1] the due set, KEYS[2] the stream's queue; ARGV[1] the event,
/// ARGV[2] now, ARGV[3] the queue's lifetime in ms, ARGV[4] the stream.
pub(crate) static EVENT_PUSH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[4])
return 1
"#,
    )
});

/// Leases the head of a queue that is still due at the score the caller saw. KEYS[1] the due
/// set, KEYS[2] the queue, KEYS[3] the attempts hash; ARGV[1] the stream, ARGV[2] the score
/// seen, ARGV[3] the lease's end. {0} lost to another caller, {1} the queue was empty (and
/// is forgotten), {2, event, attempts} leased.
pub(crate) static EVENT_LEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s or tonumber(s) ~= tonumber(ARGV[2]) then return {0} end
local head = redis.call('LINDEX', KEYS[2], 0)
if not head then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return {1}
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return {2, head, tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')}
"#,
    )
});

/// Ends the head of a queue. KEYS as EVENT_LEASE; ARGV[1] the stream, ARGV[2] the event id,
/// ARGV[3]: "ack" removes it (the next is due at ARGV[4]); "retry" counts an attempt and
/// makes it due at ARGV[4]. Nothing happens unless the head is still that event.
pub(crate) static EVENT_DONE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
local head = redis.call('LINDEX', KEYS[2], 0)
local ours = head and cjson.decode(head)['id'] == ARGV[2]
if ARGV[3] == 'retry' then
  if ours then
    redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
    redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
  end
  return 1
end
-- A stale answer (another deliverer's, after a lease ran out) changes nothing.
if not ours then return 0 end
redis.call('LPOP', KEYS[2])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
end
return 1
"#,
    )
});
