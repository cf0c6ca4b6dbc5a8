//! Mutex locking that survives a panicked holder.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, recovering from poisoning (a panicked handler must not wedge the server).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
