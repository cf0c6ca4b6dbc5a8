//! Several open tabs, one poller: a Web Lock elects the tab that polls; a BroadcastChannel carries
//! its updates to the others. Also tells whether this tab is hidden (then polling slows down).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod message;

pub use message::TabMessage;

#[wasm_bindgen(inline_js = "
export function requestLeadership(name, onAcquired) {
  // Without Web Locks (very old browsers) every tab polls: correct, only less frugal.
  if (!navigator.locks) { onAcquired(); return; }
  // The lock is held for the tab's lifetime (the promise never settles) and freed when it closes.
  navigator.locks.request(name, () => { onAcquired(); return new Promise(() => {}); });
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
    #[wasm_bindgen(js_name = requestLeadership)]
    fn request_leadership(name: &str, on_acquired: &js_sys::Function);
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

/// This tab's link to the others.
#[derive(Clone, Copy)]
pub struct Tabs {
    /// Whether this tab is the one that polls.
    pub leader: RwSignal<bool>,
    /// Whether this tab is hidden (polling slows down).
    pub hidden: RwSignal<bool>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
}

impl Tabs {
    /// Join the other tabs: ask for leadership, listen for messages, watch visibility.
    pub fn join(on_message: impl Fn(TabMessage) + 'static) -> Self {
        let leader = RwSignal::new(false);
        let hidden = RwSignal::new(is_hidden());

        let acquired = Closure::once_into_js(move || leader.set(true));
        request_leadership(LOCK_NAME, acquired.unchecked_ref());

        let channel = web_sys::BroadcastChannel::new(CHANNEL_NAME).ok();
        if let Some(channel) = &channel {
            let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else { return };
                if let Some(message) = crate::json::from_text::<TabMessage>(&text) {
                    on_message(message);
                }
            });
            channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            // The channel lives as long as the page.
            listener.forget();
        }

        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let listener = Closure::<dyn Fn()>::new(move || hidden.set(is_hidden()));
            let _ = document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
            listener.forget();
        }
        Self { leader, hidden, channel: StoredValue::new_local(channel) }
    }

    /// Tell the other tabs.
    pub fn send(&self, message: &TabMessage) {
        let text = crate::json::to_text(message);
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        });
    }
}

/// Whether the page is hidden (another tab in front, window minimised).
pub fn is_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}
