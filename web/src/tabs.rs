//! Several open tabs, one poller: a Web Lock elects the tab that polls; a BroadcastChannel carries
//! its updates to the others. A hidden poller hands over to a visible tab, which takes the lock
//! over (a hidden tab polls slowly); alone, a hidden tab keeps polling, slowly.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

mod message;

pub use message::{Leadership, TabMessage};

#[wasm_bindgen(inline_js = "
// Wait in line for the lock `name`, hold it for the tab's lifetime (it is freed when the tab closes),
// and tell `onChange(leads)` whenever that changes; returns `takeOver()`, which steals the lock from
// the tab holding it (that tab is told, and waits in line again).
export function lead(name, onChange) {
  // Without Web Locks (very old browsers) every tab polls: correct, only less frugal.
  if (!navigator.locks) { onChange(true); return () => {}; }
  let waiting = null; // the AbortController of this tab's request in line, if any
  const request = (steal) => {
    const line = steal ? null : new AbortController();
    waiting = line;
    const options = steal ? { steal: true } : { signal: line.signal };
    navigator.locks
      .request(name, options, () => {
        if (waiting === line) waiting = null;
        onChange(true);
        return new Promise(() => {});
      })
      .catch(() => {
        if (line && line.signal.aborted) return; // withdrawn to steal
        // Stolen by a visible tab: follow, and wait in line again.
        onChange(false);
        request(false);
      });
  };
  request(false);
  return () => {
    if (!waiting) return; // leading already, or taking over
    waiting.abort();
    request(true);
  };
}
// The release functions of the claimed locks, by name.
const held = new Map();
export function claimLock(name) {
  if (!navigator.locks) return Promise.resolve(true);
  // Held until `releaseLock(name)` (or the tab closes) if free now; `false` when another tab holds it.
  return new Promise((resolve) => {
    navigator.locks
      .request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock ? new Promise((release) => held.set(name, release)) : undefined;
      })
      .catch(() => resolve(true));
  });
}
export function releaseLock(name) {
  const release = held.get(name);
  held.delete(name);
  if (release) release();
}")]
extern "C" {
    fn lead(name: &str, on_change: &js_sys::Function) -> js_sys::Function;
    #[wasm_bindgen(js_name = claimLock)]
    fn claim_lock(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = releaseLock)]
    fn release_lock(name: &str);
}

/// Take the Web Lock `name` until [`release`] (or the tab closes) unless another tab holds it;
/// whether it did.
pub async fn claim(name: &str) -> bool {
    wasm_bindgen_futures::JsFuture::from(claim_lock(name)).await.ok().and_then(|v| v.as_bool()).unwrap_or(true)
}

/// Let go of a lock taken with [`claim`] (nothing if this tab does not hold it): every held lock
/// keeps a request, a promise and its callbacks alive in the page.
pub fn release(name: &str) {
    release_lock(name);
}

const LOCK_NAME: &str = "sora-studio-poller";
const CHANNEL_NAME: &str = "sora-studio";
/// Visible tabs wait up to this long (at random) before taking over from a hidden poller.
const TAKE_OVER_SPREAD_MS: f64 = 300.0;

/// This tab's link to the others.
#[derive(Clone, Copy)]
pub struct Tabs {
    /// Whether this tab is the one that polls.
    pub leader: RwSignal<bool>,
    /// Whether this tab is hidden (polling slows down).
    pub hidden: RwSignal<bool>,
    /// Whether the poller (another tab) said it is hidden.
    leader_hidden: StoredValue<bool>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
    /// Steals the lock from the poller (see `lead` above).
    take_over: StoredValue<Option<js_sys::Function>, LocalStorage>,
}

impl Tabs {
    /// Join the other tabs: wait in line to poll, listen for messages, watch visibility.
    ///
    /// `on_message` is called for each message, as it comes, outside any reactive owner: the
    /// entries it creates live until they are disposed.
    pub fn join(on_message: impl Fn(TabMessage) + 'static) -> Self {
        let tabs = Self {
            leader: RwSignal::new(false),
            hidden: RwSignal::new(is_hidden()),
            leader_hidden: StoredValue::new(false),
            channel: StoredValue::new_local(web_sys::BroadcastChannel::new(CHANNEL_NAME).ok()),
            take_over: StoredValue::new_local(None),
        };

        tabs.channel.with_value(|channel| {
            let Some(channel) = channel else { return };
            let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else { return };
                if let Some(leadership) = crate::json::from_text::<Leadership>(&text) {
                    tabs.on_leadership(leadership);
                } else if let Some(message) = crate::json::from_text::<TabMessage>(&text) {
                    on_message(message);
                }
            });
            channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            // The channel lives as long as the page.
            listener.forget();
        });

        let changed = Closure::<dyn Fn(bool)>::new(move |leads: bool| {
            tabs.leader.set(leads);
            if leads {
                tabs.tell_leader_state();
            } else {
                // Taken over by a tab that was visible.
                tabs.leader_hidden.set_value(false);
            }
        });
        tabs.take_over.set_value(Some(lead(LOCK_NAME, changed.as_ref().unchecked_ref())));
        // Called for the page's lifetime.
        changed.forget();

        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let listener = Closure::<dyn Fn()>::new(move || {
                tabs.hidden.set(is_hidden());
                if tabs.leader.get_untracked() {
                    tabs.tell_leader_state();
                } else {
                    tabs.take_over_if_needed();
                }
            });
            let _ = document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
            listener.forget();
        }
        // The poller may have been hidden before this tab could hear it (opening a tab hides the one before).
        tabs.post(&Leadership::WhoLeads);
        tabs
    }

    /// Tell the other tabs.
    pub fn send(&self, message: &TabMessage) {
        self.post(message);
    }

    fn post(&self, message: &impl crate::json::ToJson) {
        let text = crate::json::to_text(message);
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        });
    }

    /// The poller tells the others whether it is hidden.
    fn tell_leader_state(&self) {
        self.post(&Leadership::Leader { hidden: self.hidden.get_untracked() });
    }

    fn on_leadership(&self, message: Leadership) {
        match message {
            Leadership::WhoLeads if self.leader.get_untracked() => self.tell_leader_state(),
            Leadership::WhoLeads => {}
            Leadership::Leader { hidden } => {
                self.leader_hidden.set_value(hidden);
                self.take_over_if_needed();
            }
        }
    }

    /// A visible tab takes polling over from a hidden poller (it would poll slowly, and the
    /// person is looking at this one).
    fn take_over_if_needed(&self) {
        if !self.wants_to_lead() {
            return;
        }
        // After a random pause, so that of several visible tabs one takes over, then tells the others.
        let tabs = *self;
        let pause = std::time::Duration::from_millis((js_sys::Math::random() * TAKE_OVER_SPREAD_MS) as u64);
        set_timeout(
            move || {
                if tabs.wants_to_lead() {
                    tabs.leader_hidden.set_value(false);
                    tabs.take_over.with_value(|take| take.as_ref().map(|take| take.call0(&JsValue::NULL)));
                }
            },
            pause,
        );
    }

    fn wants_to_lead(&self) -> bool {
        self.leader_hidden.get_value() && !self.hidden.get_untracked() && !self.leader.get_untracked()
    }
}

/// Whether the page is hidden (another tab in front, window minimised).
pub fn is_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}
