//! The service's clock as this client has seen it: a job's `created_at` is the service's "now"
//! when it answered the create, so each create tells how far apart the two clocks are.

use crate::client::Client;
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// This device's clock minus the service's (ms), as of the last job this client created; `None`
    /// before the first create. `created_at` is whole seconds, so agreeing clocks read 0 to 1,000
    /// ms plus the answer's travel time.
    pub fn server_clock_offset_ms(&self) -> Option<i64> {
        self.shared.state.borrow().server_clock_offset_ms
    }

    /// Remembers how far the service's clock is from ours, from the `created_at` of a job or video it has just created.
    ///
    /// A missing (read as 0) or negative `created_at` says nothing about the service's clock.
    pub(crate) fn note_server_clock(&self, created_at: i64) {
        if created_at <= 0 {
            return;
        }
        let local = i64::try_from(self.transport.now_ms()).unwrap_or(i64::MAX);
        let offset = local.saturating_sub(created_at.saturating_mul(1000));
        self.shared.state.borrow_mut().server_clock_offset_ms = Some(offset);
    }
}
