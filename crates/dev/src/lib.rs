//! wagate-dev: fakes of wagate's upstreams (Cripsa/Cognito, and Meta's WhatsApp Business Cloud
//! API with its status webhooks), for the tests, for trying wagate without accounts at those
//! upstreams, and for `wagate dev ...`. Nothing of the product depends on it: the `wagate`
//! binary includes it only when built with the `dev` feature.

mod command;
pub mod cripsa;
mod serve;
pub mod whatsapp;
mod whatsapp_command;
mod whatsapp_serve;

pub use command::{FakeCripsaArgs, fake_cripsa};
pub use serve::serve_fake_cripsa;
pub use whatsapp_command::{FakeWhatsAppArgs, fake_whatsapp};
pub use whatsapp_serve::serve_fake_whatsapp;
