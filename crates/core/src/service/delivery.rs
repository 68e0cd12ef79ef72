//! The code step as people see it: where the code went, what the channel reported, and
//! whether it may go another way now.

use super::{CodeSent, LoginService};
use crate::LoginError;
use crate::machine::{self, DeliveryView, FallbackView, FlowView};
use wagate_storage::{FlowStage, LoginFlow, MessageStatus, SentVia};

impl LoginService {
    /// The flow's step as people see it; the authenticator is offered only when apps are on.
    pub async fn view(&self, flow: &LoginFlow) -> FlowView {
        let mut view = machine::view(flow, self.clock.now(), &self.policy);
        match &mut view {
            FlowView::Phone {
                authenticator_allowed,
                ..
            } => *authenticator_allowed &= self.authenticators_enabled(),
            FlowView::Code(code) => {
                code.delivery = self.delivery(flow, code.delivery.clone()).await;
            }
            FlowView::Totp | FlowView::ChooseAccount { .. } | FlowView::Consent { .. } => {}
        }
        view
    }

    /// The answer to a send: the code step of `flow` just after it.
    pub(super) async fn code_sent(
        &self,
        flow: &LoginFlow,
        new_code: bool,
    ) -> Result<CodeSent, LoginError> {
        match self.view(flow).await {
            FlowView::Code(code) => Ok(CodeSent {
                code_length: code.code_length,
                expires_in: code.expires_in,
                resend_in: code.resend_in,
                delivery: code.delivery,
                new_code,
            }),
            _ => Err(LoginError::WrongStep),
        }
    }

    /// What the channel reported of the message (`Sent` when it reports nothing, or when
    /// storage cannot say: the page still works).
    pub(super) async fn reported(&self, via: &SentVia) -> MessageStatus {
        if !via.receipts {
            return MessageStatus::Sent;
        }
        match self.store.message_state(&via.message_id).await {
            Ok(Some(state)) => state.current(),
            Ok(None) => MessageStatus::Sent,
            Err(e) => {
                tracing::warn!(error = %e, "delivery state unavailable");
                MessageStatus::Sent
            }
        }
    }

    async fn delivery(&self, flow: &LoginFlow, base: DeliveryView) -> DeliveryView {
        let FlowStage::Code { via: Some(via), .. } = &flow.stage else {
            return base;
        };
        let state = self.reported(via).await;
        let now = self.clock.now();
        let fallback = match (
            self.backend.fallback(),
            machine::may_fall_back(flow, now, &self.policy),
        ) {
            (Some(offer), Ok(via))
                if !matches!(state, MessageStatus::Delivered | MessageStatus::Read) =>
            {
                Some(FallbackView {
                    medium: offer.medium.as_str(),
                    available_in: match state {
                        MessageStatus::Failed => std::time::Duration::ZERO,
                        _ => now.until(via.sent_at.plus(offer.after)),
                    },
                })
            }
            _ => None,
        };
        DeliveryView {
            state,
            fallback,
            ..base
        }
    }
}
