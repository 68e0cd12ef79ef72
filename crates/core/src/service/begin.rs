//! Opening a login flow: where it starts, given what the browser's session has proven.

use super::{Begun, FLOW_ID_BYTES, FlowStart, LoginService, binding_hash, finish::finished};
use crate::LoginError;
use crate::machine::{self, Next};
use std::net::IpAddr;
use std::time::Duration;
use wagate_oidc::MfaDemand;
use wagate_storage::{
    Counter, FlowPurpose, FlowStage, FlowTrace, LoginFlow, PendingAuthorization, Proof, Secret,
    User, random_token,
};

const MINUTE: Duration = Duration::from_secs(60);
/// How long after its flow a login's way out is kept: a person who comes back to the tab
/// within the hour still finds the links.
const TRACE_BEYOND: Duration = Duration::from_secs(3600);

/// Where a flow starts.
enum Starting {
    At(FlowStage, Option<Proof>),
    Done(User, Proof),
}

impl LoginService {
    /// Opens a login flow for `authorization`, bound to the browser's `binding` secret.
    pub async fn begin(
        &self,
        authorization: PendingAuthorization,
        binding: &str,
        ip: Option<IpAddr>,
        start: FlowStart,
    ) -> Result<Begun, LoginError> {
        let now = self.clock.now();
        let (stage, proven) = match self.starting_point(&start).await? {
            Starting::At(stage, proven) => (stage, proven),
            Starting::Done(user, proof) => {
                let success = finished(Err((authorization, start.purpose)), user, proof, now);
                return Ok(Begun::Done(success));
            }
        };
        // Only flows count: they are what fills storage.
        if let Some(ip) = ip {
            let opened = self
                .store
                .increment(&Counter::FlowsFromAddress(ip), MINUTE)
                .await?;
            if opened > self.policy.flows_per_ip_per_minute {
                tracing::warn!(%ip, "too many logins opened from one address");
                return Err(LoginError::TooManyLogins);
            }
        }
        let flow = LoginFlow {
            id: random_token(self.random.as_ref(), FLOW_ID_BYTES),
            binding_hash: binding_hash(binding),
            csrf_token: Secret::new(random_token(self.random.as_ref(), 24)),
            authorization,
            stage,
            require_mfa: start.second_factor == MfaDemand::Required,
            prefer_mfa: start.second_factor == MfaDemand::Preferred,
            consent: start.consent,
            purpose: start.purpose,
            proven,
            created_at: now,
            expires_at: now.plus(self.policy.flow_ttl),
            revision: 0,
        };
        // The trace goes out beside the flow (one round trip).
        let trace = async {
            if flow.purpose == FlowPurpose::Portal {
                self.leave_trace(&flow).await;
            }
        };
        let (inserted, ()) =
            futures_util::future::join(self.store.insert_flow(&flow, self.policy.flow_ttl), trace)
                .await;
        inserted?;
        Ok(Begun::Flow(flow))
    }

    /// Keeps what the flow is for beyond its end, for the way back out. Best effort: without
    /// it a dead login only loses its links.
    async fn leave_trace(&self, flow: &LoginFlow) {
        let trace = FlowTrace {
            authorization: flow.authorization.clone(),
            binding_hash: flow.binding_hash.clone(),
            purpose: flow.purpose,
        };
        let ttl = self.policy.flow_ttl + TRACE_BEYOND;
        if let Err(e) = self.store.put_flow_trace(&flow.id, &trace, ttl).await {
            tracing::warn!(error = %e, "a login's way out was not kept");
        }
    }

    /// Where a flow starts: at the phone; or, building on the browser's session, at the
    /// choice of account, at the missing factor, or at the consent.
    async fn starting_point(&self, start: &FlowStart) -> Result<Starting, LoginError> {
        let Some(carried) = &start.signed_in else {
            return Ok(Starting::At(FlowStage::Phone, None));
        };
        let Some(user) = self.store.get_user(&carried.sub).await? else {
            return Ok(Starting::At(FlowStage::Phone, None));
        };
        let proof = Proof {
            sub: user.sub.clone(),
            phone: user.phone.clone(),
            amr: carried.amr.clone(),
            since: Some(carried.auth_time),
            session: Some(carried.sid.clone()),
        };
        if start.select_account {
            return Ok(Starting::At(FlowStage::ChooseAccount, Some(proof)));
        }
        let has_app = self.can_use_authenticator(&user);
        Ok(
            match machine::next(start.second_factor, start.consent, has_app, &carried.amr) {
                Next::Done => Starting::Done(user, proof),
                Next::Consent => Starting::At(FlowStage::Consent, Some(proof)),
                Next::WhatsApp => Starting::At(FlowStage::Phone, Some(proof)),
                Next::Authenticator => Starting::At(FlowStage::Totp, Some(proof)),
                Next::AuthenticatorMissing => return Err(LoginError::AuthenticatorRequired),
            },
        )
    }
}
