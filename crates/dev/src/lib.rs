//! wagate-dev: fakes of wagate's upstreams, for the tests, for trying wagate without accounts
//! at those upstreams, and for `wagate dev ...`. Nothing of the product depends on it: the
//! `wagate` binary includes it only when built with the `dev` feature.

mod command;
pub mod cripsa;
mod serve;

pub use command::{FakeCripsaArgs, fake_cripsa};
pub use serve::serve_fake_cripsa;
