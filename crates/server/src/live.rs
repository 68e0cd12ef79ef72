//! The state requests are served with, swapped whole by a configuration reload. A request
//! takes the state once, when it arrives, and keeps it to the end: a reload never changes
//! the rules in the middle of one.

use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use arc_swap::ArcSwap;
use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

pub struct Live {
    current: ArcSwap<AppState>,
}

impl Live {
    pub fn new(state: Arc<AppState>) -> Self {
        Live {
            current: ArcSwap::new(state),
        }
    }

    /// The state new requests get.
    pub fn load(&self) -> Arc<AppState> {
        self.current.load_full()
    }

    /// Requests from now on get `state`; those in flight finish with the one they took.
    pub fn replace(&self, state: Arc<AppState>) -> Arc<AppState> {
        self.current.swap(state)
    }
}

/// A handler's view of the state: the one its request took on arrival.
#[derive(Clone)]
pub struct State(Arc<AppState>);

impl State {
    /// The request's state, taken now if nothing took it yet (`None` outside wagate's apps).
    pub fn of(req: &HttpRequest) -> Option<State> {
        if let Some(state) = req.extensions().get::<State>() {
            return Some(state.clone());
        }
        let state = State(req.app_data::<web::Data<Live>>()?.load());
        req.extensions_mut().insert(state.clone());
        Some(state)
    }
}

impl Deref for State {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl FromRequest for State {
    type Error = actix_web::Error;
    type Future = Ready<Result<State, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(State::of(req).ok_or_else(|| {
            actix_web::error::ErrorInternalServerError("wagate's state is not configured")
        }))
    }
}
