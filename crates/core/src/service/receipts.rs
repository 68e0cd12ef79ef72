//! Delivery reports: recorded once per status against the message's login, counted, and
//! turned into a fallback when the login's current message failed.

use super::LoginService;
use crate::LoginError;
use crate::delivery::whatsapp::StatusReport;
use wagate_storage::{MessageStatus, StatusRecorded};

/// A login whose code should now go the other way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackDue {
    pub flow_id: String,
    pub message_id: String,
}

impl LoginService {
    /// Records one report. Duplicates and reports in any order are harmless; reports for
    /// messages no longer known (the login is over) are dropped.
    pub async fn receive_status(
        &self,
        report: &StatusReport,
    ) -> Result<Option<FallbackDue>, LoginError> {
        let recorded = self
            .store
            .record_status(&report.message_id, report.status, report.at)
            .await?;
        let StatusRecorded::First(state) = recorded else {
            return Ok(None);
        };
        let channel = state.message.channel.as_str();
        self.observer.status(channel, report.status);
        let arrivals = state
            .statuses
            .iter()
            .filter(|(s, _)| matches!(s, MessageStatus::Delivered | MessageStatus::Read))
            .count();
        if matches!(
            report.status,
            MessageStatus::Delivered | MessageStatus::Read
        ) && arrivals == 1
        {
            self.observer
                .arrived(channel, state.message.sent_at.until(report.at));
        }
        if report.status == MessageStatus::Failed {
            tracing::warn!(channel, code = ?report.error_code, "a code message failed to arrive");
        }
        let fall_back = report.status == MessageStatus::Failed
            && state.current() == MessageStatus::Failed
            && self.backend.fallback().is_some();
        Ok(fall_back.then(|| FallbackDue {
            flow_id: state.message.flow_id.clone(),
            message_id: report.message_id.clone(),
        }))
    }
}
