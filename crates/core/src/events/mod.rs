//! Security events: what happened to people's accounts, written as CloudEvents to the log and
//! delivered to an event webhook from a queue in storage.

mod deliver;
mod publisher;
mod schema;

pub use deliver::{Delivery, DeliveryObserver, EventDeliverer, EventWebhook, backoff};
pub use publisher::{EventObserver, Events};
pub use schema::{Actor, EventType, SecurityEvent};
