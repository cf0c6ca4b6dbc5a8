//! One job: status chip, times, progress, problems, actions; it polls while mounted (in the poller tab).

use leptos::prelude::*;

use super::erased::When;
use super::player::Player;
use super::problem::ProblemView;
use crate::format;
use crate::state::clock;
use crate::state::{Entry, Studio, SubmitState};

#[component]
pub fn JobCard(entry: Entry) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let controller = StoredValue::new_local(None::<web_sys::AbortController>);
    let abort = move || {
        controller.try_with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        });
    };

    // Watch while this tab is the poller and the job needs it; a Memo so status changes do not restart it.
    let needs_watch = Memo::new(move |_| entry.needs_watch());
    Effect::new(move || {
        abort();
        if studio.tabs.leader.get() && needs_watch.get() {
            let Ok(fresh) = web_sys::AbortController::new() else { return };
            let signal = fresh.signal();
            controller.set_value(Some(fresh));
            leptos::task::spawn_local(async move { studio.watch(entry, signal).await });
        }
    });
    // Unmounted (deleted, or the page is going): stop polling at once.
    on_cleanup(abort);

    let status = move || entry.record.with(|r| r.as_ref().map(|r| r.job.status.clone()));
    let gone = move || entry.record.with(|r| r.as_ref().is_some_and(|r| r.gone));
    let chip = move || match (status(), entry.submit.get()) {
        (Some(status), _) if gone() && !status.is_terminal() => ("Gone".into(), "chip failed".into()),
        (Some(status), _) => (format::status_label(&status), format!("chip {}", status.as_str())),
        (None, SubmitState::WaitingForSlot { .. }) => ("Waiting".into(), "chip waiting".into()),
        (None, SubmitState::Busy { .. }) => ("Busy".into(), "chip waiting".into()),
        (None, SubmitState::Refused) => ("Refused".into(), "chip failed".into()),
        (None, _) => ("Sending".into(), "chip waiting".into()),
    };
    let elapsed = move || {
        if entry.submit.get() == SubmitState::Refused {
            return String::new();
        }
        let now = studio.now.get();
        let ms = entry.record.with(|r| match r {
            Some(r) => {
                // Service timestamps on this device's clock, so a skewed service clock shows no odd times.
                let start = clock::local_ms(&r.endpoint, r.job.created_at);
                let end = r.job.finished_at.map_or(now, |f| clock::local_ms(&r.endpoint, f));
                end - start
            }
            None => now - entry.started_ms,
        });
        format!("Elapsed {}", format::duration(ms))
    };
    let remaining = move || {
        let running = status().is_some_and(|s| !s.is_terminal()) && !gone();
        match entry.remaining_ms.get() {
            Some(ms) if running => format!("About {} left", format::duration(ms as f64)),
            _ if running => "Estimating…".to_owned(),
            _ => String::new(),
        }
    };
    // The server's own percentage where it sends one (the Videos API), else one per status.
    let percent = move || entry.record.with(|r| r.as_ref().and_then(|r| r.progress));
    let progress = move || match (percent(), status()) {
        (Some(p), Some(s)) if !s.is_terminal() => f64::from(p.min(100)) / 100.0,
        (_, s) => s.map_or(0.0, |s| format::status_fraction(&s)),
    };
    let detail = move || {
        let backend = entry.record.with(|r| r.as_ref().map(|r| format::protocol_label(r.protocol)));
        entry.request.with_value(|r| format::request_detail(r, backend))
    };
    let waiting = move || match entry.submit.get() {
        SubmitState::WaitingForSlot { position } => Some(if position == 0 {
            "Waiting for a slot: the service runs 2 jobs at a time. This one is next.".to_owned()
        } else {
            format!("Waiting for a slot: the service runs 2 jobs at a time; {position} ahead of this one.")
        }),
        SubmitState::Busy { until_ms } => Some(format!(
            "The service is busy (HTTP 429, too many requests). Next try in {}.",
            format::duration((until_ms - studio.now.get()).max(1_000.0))
        )),
        _ => None,
    };
    // A job that ended without videos: what happened, and which next steps make sense.
    let failure = move || {
        entry
            .record
            .with(|r| r.as_ref().and_then(|r| format::describe_ended(&r.job.status, r.job.failure_reason.as_ref())))
    };
    let offers = move || {
        entry.record.with(|r| {
            r.as_ref().map_or((false, false), |r| format::ended_actions(&r.job.status, r.job.failure_reason.as_ref()))
        })
    };
    let footer = move || {
        let now = studio.now.get();
        entry.record.with(|r| {
            let r = r.as_ref()?;
            let mut parts = Vec::new();
            if r.gone {
                parts.push("No longer on the service".to_owned());
            } else if let Some(text) = format::expiry(r.job.expires_at, clock::service_now_ms(&r.endpoint, now)) {
                parts.push(text);
            }
            if r.saved {
                parts.push("Saved on this device".to_owned());
            }
            Some(parts.join(" · "))
        })
    };
    let ended = move || status().is_some_and(|s| s.is_terminal());
    let has_job = move || entry.record.with(Option::is_some);

    view! {
        <li class="card" data-testid="job" data-job-id=move || entry.record.with(|r| r.as_ref().map(|r| r.job.id.clone()))>
            <div class="card-head">
                <span class=move || chip().1 data-testid="status">{move || chip().0}</span>
                <span class="time" data-testid="elapsed">{elapsed}</span>
                <span class="time" data-testid="remaining">{remaining}</span>
                <span class="time" data-testid="percent">{move || percent().filter(|_| !ended()).map(|p| format!("{p} %"))}</span>
            </div>
            <p class="prompt">{move || entry.request.with_value(|r| r.prompt.clone())}</p>
            <p class="meta" data-testid="detail">{detail}</p>
            <progress max="1" prop:value=progress aria-label="Progress" class:hidden=move || !has_job() class:ended=move || ended() || gone()></progress>
            <p class="waiting" data-testid="waiting">{waiting}</p>
            {move || failure().map(|problem| view! { <ProblemView problem/> })}
            {move || entry.problem.get().map(|problem| view! { <ProblemView problem/> })}
            <Player entry/>
            <p class="footer" data-testid="footer">{footer}</p>
            <div class="actions">
                <When when=Signal::derive(move || has_job() && !ended() && !gone())>
                    <When when=Signal::derive(move || !entry.stopped.get())
                        fallback=move || view! { <button type="button" on:click=move |_| entry.stopped.set(false)>"Resume watching"</button> }>
                        <button type="button" data-testid="stop" on:click=move |_| entry.stopped.set(true)>"Stop watching"</button>
                    </When>
                </When>
                <When when=Signal::derive(move || entry.can_retry())>
                    <button type="button" data-testid="retry" on:click=move |_| studio.retry_submission(entry)>"Try again"</button>
                </When>
                <When when=Signal::derive(move || offers().0)>
                    <button type="button" data-testid="try-again" on:click=move |_| studio.try_again(entry)
                        aria-label="Try again: create a new job with the same request">"Try again"</button>
                </When>
                <When when=Signal::derive(move || offers().1)>
                    <button type="button" data-testid="edit-prompt"
                        on:click=move |_| super::edit_prompt(&studio, entry.request.with_value(|r| r.prompt.clone()), false)>"Edit prompt"</button>
                </When>
                <When when=Signal::derive(move || entry.record.with(|r| r.as_ref().is_some_and(|r| r.protocol.is_videos() && r.job.status.is_success() && !r.gone)))>
                    <button type="button" data-testid="remix" on:click=move |_| {
                            if let Some(prompt) = studio.start_remix(entry) {
                                super::edit_prompt(&studio, prompt, true);
                            }
                        }
                        aria-label="Remix: a new video from this one, changed as a new prompt says">"Remix"</button>
                </When>
                <When when=Signal::derive(move || !has_job())>
                    <button type="button" data-testid="cancel" on:click=move |_| studio.cancel_submission(entry)>
                        {move || if entry.submit.get() == SubmitState::Refused { "Dismiss" } else { "Cancel" }}
                    </button>
                </When>
                <When when=Signal::derive(has_job)>
                    <button type="button" class="danger" data-testid="delete" on:click=move |_| studio.delete(entry)
                        prop:disabled=entry.deleting aria-label="Delete this job from the service and this device">
                        {move || if entry.deleting.get() { "Deleting…" } else { "Delete" }}
                    </button>
                </When>
            </div>
        </li>
    }
}
