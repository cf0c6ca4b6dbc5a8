//! Client-side limits: a shared requests-per-minute budget and the service's running-job slots.

use std::collections::VecDeque;

/// The window the service's requests-per-minute limit counts over.
pub const MINUTE_MS: u64 = 60_000;

/// A sliding-window request budget (per minute by default), shared by every call of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct RateBudget {
    per_window: u32,
    window_ms: u64,
    sent_at: VecDeque<u64>,
    /// Nothing is sent before this time: the service said it is rate limiting us.
    blocked_until: u64,
}

impl RateBudget {
    /// A budget of `count` requests in any `window_ms` (both at least 1).
    pub fn per_window(count: u32, window_ms: u64) -> Self {
        Self { per_window: count.max(1), window_ms: window_ms.max(1), sent_at: VecDeque::new(), blocked_until: 0 }
    }

    /// Take one request from the budget at `now_ms`, or say how long to wait before asking again.
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<(), u64> {
        if now_ms < self.blocked_until {
            return Err(self.blocked_until - now_ms);
        }
        while self.sent_at.front().is_some_and(|&t| t + self.window_ms <= now_ms) {
            self.sent_at.pop_front();
        }
        if self.sent_at.len() < self.per_window as usize {
            self.sent_at.push_back(now_ms);
            return Ok(());
        }
        let oldest = self.sent_at.front().copied().unwrap_or(now_ms);
        Err((oldest + self.window_ms).saturating_sub(now_ms).max(1))
    }

    /// Hold every request until `until_ms` (after a 429 with a wait hint).
    pub fn block_until(&mut self, until_ms: u64) {
        self.blocked_until = self.blocked_until.max(until_ms);
    }
}

/// The service runs at most N jobs at once per resource; this tracks ours and who waits.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSlots {
    max_running: u32,
    running: Vec<String>,
    /// Slots taken by submissions whose create request is still in flight.
    reserved: u32,
    /// Tickets waiting for a slot, first come first served.
    waiting: VecDeque<u64>,
    next_ticket: u64,
}

impl JobSlots {
    /// Slots for `max_running` jobs (at least 1).
    pub fn new(max_running: u32) -> Self {
        Self {
            max_running: max_running.max(1),
            running: Vec::new(),
            reserved: 0,
            waiting: VecDeque::new(),
            next_ticket: 0,
        }
    }

    /// Join the queue; returns the ticket to present to [`JobSlots::try_take`].
    pub fn enqueue(&mut self) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.waiting.push_back(ticket);
        ticket
    }

    /// Whether `ticket` is first in line and a slot is free; if so it leaves the queue holding a reserved slot.
    ///
    /// The slot is reserved at once, so concurrent submissions cannot all see it free while the first
    /// create is in flight. The caller then calls [`JobSlots::occupy`], or [`JobSlots::unreserve`].
    pub fn try_take(&mut self, ticket: u64) -> bool {
        let busy = self.running.len() as u32 + self.reserved;
        if busy < self.max_running && self.waiting.front() == Some(&ticket) {
            self.waiting.pop_front();
            self.reserved += 1;
            return true;
        }
        false
    }

    /// Give back a reserved slot (the create failed, or the job ended at once).
    pub fn unreserve(&mut self) {
        self.reserved = self.reserved.saturating_sub(1);
    }

    /// Give up a place in the queue (aborted while waiting).
    pub fn leave(&mut self, ticket: u64) {
        self.waiting.retain(|&t| t != ticket);
    }

    /// Turn a reserved slot into one held by a created job.
    pub fn occupy(&mut self, job_id: &str) {
        self.unreserve();
        if !self.running.iter().any(|id| id == job_id) {
            self.running.push(job_id.to_owned());
        }
    }

    /// Free the slot of a job that ended, was deleted or vanished.
    pub fn release(&mut self, job_id: &str) {
        self.running.retain(|id| id != job_id);
    }

    /// The jobs holding slots.
    pub fn running(&self) -> &[String] {
        &self.running
    }

    /// How many tickets are ahead of `ticket`, if it is still queued.
    pub fn position(&self, ticket: u64) -> Option<usize> {
        self.waiting.iter().position(|&t| t == ticket)
    }

    /// How many callers wait for a slot.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_never_exceeds_rpm_in_any_window() {
        let mut budget = RateBudget::per_window(60, MINUTE_MS);
        let mut now = 0;
        let mut sent = Vec::new();
        while sent.len() < 200 {
            match budget.try_acquire(now) {
                Ok(()) => sent.push(now),
                Err(wait) => now += wait,
            }
        }
        for (i, &t) in sent.iter().enumerate() {
            let in_window = sent[i..].iter().take_while(|&&u| u < t + MINUTE_MS).count();
            assert!(in_window <= 60, "{in_window} requests in the minute from {t}");
        }
        assert_eq!(sent[60], 60_000, "the 61st waits for the first to leave the window");
    }

    #[test]
    fn service_hint_blocks_everyone() {
        let mut budget = RateBudget::per_window(60, MINUTE_MS);
        budget.block_until(5_000);
        assert_eq!(budget.try_acquire(1_000), Err(4_000));
        assert_eq!(budget.try_acquire(5_000), Ok(()));
    }

    #[test]
    fn third_job_waits_for_a_slot_in_order() {
        let mut slots = JobSlots::new(2);
        let (a, b, c, d) = (slots.enqueue(), slots.enqueue(), slots.enqueue(), slots.enqueue());
        assert!(slots.try_take(a));
        slots.occupy("job-a");
        assert!(!slots.try_take(c), "c is not first in line");
        assert!(slots.try_take(b));
        assert!(!slots.try_take(c), "b's slot is reserved while its create is in flight");
        slots.occupy("job-b");
        assert!(!slots.try_take(c), "both slots busy");
        assert_eq!(slots.queued(), 2);
        slots.release("job-a");
        assert!(!slots.try_take(d), "d is behind c");
        assert!(slots.try_take(c));
        slots.occupy("job-c");
        slots.leave(d);
        assert_eq!(slots.queued(), 0);
        assert_eq!(slots.running(), ["job-b", "job-c"]);
        slots.release("job-b");
        let e = slots.enqueue();
        assert!(slots.try_take(e));
        slots.unreserve();
        let f = slots.enqueue();
        assert!(slots.try_take(f), "a failed create gives its slot back");
    }
}
