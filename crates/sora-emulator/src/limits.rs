//! The requests-per-minute budget over all /openai requests.

use std::collections::VecDeque;

/// Length of the sliding window.
const WINDOW_MS: u64 = 60_000;

/// Admission times of the requests in the last minute.
#[derive(Debug, Default)]
pub struct RateWindow {
    admitted: VecDeque<u64>,
}

impl RateWindow {
    /// Admits a request, or returns the milliseconds until one would be admitted. `rpm` 0 = unlimited.
    pub fn try_admit(&mut self, now_ms: u64, rpm: u32) -> Result<(), u64> {
        while self.admitted.front().is_some_and(|&at| at + WINDOW_MS <= now_ms) {
            self.admitted.pop_front();
        }
        if rpm == 0 {
            return Ok(());
        }
        let limit = rpm as usize;
        if self.admitted.len() < limit {
            self.admitted.push_back(now_ms);
            return Ok(());
        }
        // The request that frees a slot is the one `limit` places from the end.
        let index = self.admitted.len() - limit;
        let oldest = self.admitted.get(index).copied().unwrap_or(now_ms);
        Err((oldest + WINDOW_MS).saturating_sub(now_ms).max(1))
    }

    /// Forgets every admission.
    pub fn clear(&mut self) {
        self.admitted.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window() {
        let mut window = RateWindow::default();
        assert!(window.try_admit(0, 2).is_ok());
        assert!(window.try_admit(10_000, 2).is_ok());
        assert_eq!(window.try_admit(20_000, 2), Err(40_000));
        assert!(window.try_admit(60_000, 2).is_ok());
        assert!(window.try_admit(61_000, 0).is_ok());
    }
}
