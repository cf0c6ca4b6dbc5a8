//! The connection panel: API, endpoint, deployment (or model), auth mode, key, a connection check and
//! detecting which API an endpoint speaks.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::Protocol;

use super::problem::ProblemView;
use crate::api::{self, AuthMode};
use crate::format::{self, Problem};
use crate::state::Studio;

#[component]
pub fn Connect() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let connection = studio.connection;
    let checking = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, Problem>>);
    // The field's text: a bad entry stays visible with its message and never reaches the connection.
    let rpm_text = RwSignal::new(connection.with_untracked(|c| c.requests_per_minute.to_string()));
    let rpm_error = Memo::new(move |_| rpm_text.with(|t| format::requests_per_minute(t).err()));
    // What the endpoint's text will be used as, live as it is typed.
    let endpoint_text = RwSignal::new(connection.with_untracked(|c| c.endpoint.clone()));
    let protocol = Memo::new(move |_| connection.with(|c| c.protocol));
    let videos = move || protocol.get().is_videos();
    let in_use = Memo::new(move |_| endpoint_text.with(|t| api::endpoint_in_use(t, protocol.get())));
    // Shown while the field still holds the name the service said it does not have.
    let deployment_error = move || {
        let current = connection.with(|c| c.deployment.clone());
        studio.unknown_deployment.with(|unknown| unknown.as_deref() == Some(current.as_str())).then(|| {
            format!("{}. Enter the name of a Sora deployment of this resource (a new one can take a few minutes to appear).", format::deployment_message(&current))
        })
    };

    // The service just said it has no such deployment: take the person to the field to correct it.
    // Only that news moves focus, not later edits of other connection fields.
    Effect::new(move || {
        let unknown = studio.unknown_deployment.get();
        if unknown.is_some() && unknown == connection.with_untracked(|c| Some(c.deployment.clone())) {
            super::focus("deployment");
        }
    });

    let run = move |detect: bool| {
        checking.set(true);
        outcome.set(None);
        // The endpoint typed but not yet committed (no change event before a click) is the one meant.
        let typed = endpoint_text.get_untracked();
        connection.update(|c| c.endpoint = typed);
        spawn_local(async move {
            let result = if detect { studio.detect().await } else { studio.check_connection().await };
            outcome.try_set(Some(result));
            checking.try_set(false);
        });
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(false);
    };

    view! {
        <form class="panel" aria-labelledby="connection-title" on:submit=check novalidate>
            <h2 id="connection-title">"Connection"</h2>
            <div class="field">
                <label for="protocol">"API"</label>
                // The value as a property: an option once picked by hand ignores later `selected` changes.
                <select id="protocol" prop:value=move || protocol.get().as_str() on:change=move |ev| {
                    let chosen = Protocol::from_name(&event_target_value(&ev)).unwrap_or_default();
                    connection.update(|c| c.set_protocol(chosen));
                }>
                    {Protocol::ALL.map(|p| view! {
                        <option value=p.as_str() selected=move || protocol.get() == p>{format::protocol_label(p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="endpoint">"Endpoint"</label>
                <input id="endpoint" type="url" autocomplete="url" spellcheck="false"
                    aria-describedby="endpoint-hint endpoint-in-use"
                    aria-invalid=move || in_use.with(Result::is_err).to_string()
                    prop:value=endpoint_text
                    on:input=move |ev| endpoint_text.set(event_target_value(&ev))
                    on:change=move |ev| connection.update(|c| c.endpoint = event_target_value(&ev))/>
                <p id="endpoint-hint" class="hint">
                    {move || if protocol.get() == Protocol::OpenAiVideos {
                        "The gateway's OpenAI-compatible base, e.g. https://gateway.example/v1"
                    } else {
                        "Your resource, e.g. https://my-resource.openai.azure.com, or the target URL the Azure portal shows"
                    }}
                </p>
                {move || match in_use.get() {
                    Ok((base, api_version)) => view! {
                        <p id="endpoint-in-use" class="hint" data-testid="endpoint-in-use">
                            "Requests go to " <code>{base}</code>
                            {api_version.map(|v| view! { " with api-version " <code>{v}</code> })}
                        </p>
                    }.into_any(),
                    Err(message) => view! {
                        <p id="endpoint-in-use" class="field-error" data-testid="endpoint-in-use">{message}</p>
                    }.into_any(),
                }}
            </div>
            <div class="field">
                <label for="deployment">{move || if videos() { "Model" } else { "Deployment" }}</label>
                <input id="deployment" type="text" spellcheck="false" autocomplete="off"
                    aria-describedby="deployment-error"
                    aria-invalid=move || deployment_error().is_some().to_string()
                    prop:value=move || connection.with(|c| c.deployment.clone())
                    on:change=move |ev| connection.update(|c| c.deployment = event_target_value(&ev))/>
                <p id="deployment-error" class="field-error" data-testid="deployment-error">{deployment_error}</p>
            </div>
            <div class="field">
                <label for="auth-mode">"Authentication"</label>
                <select id="auth-mode" on:change=move |ev| {
                    let mode = if event_target_value(&ev) == "bearer" { AuthMode::Bearer } else { AuthMode::ApiKey };
                    connection.update(|c| c.auth_mode = mode);
                }>
                    <option value="api-key" selected=move || connection.with(|c| c.auth_mode == AuthMode::ApiKey)>"API key"</option>
                    <option value="bearer" selected=move || connection.with(|c| c.auth_mode == AuthMode::Bearer)>"Bearer token (Entra ID)"</option>
                </select>
            </div>
            <div class="field">
                <label for="key">{move || if connection.with(|c| c.auth_mode == AuthMode::Bearer) { "Token" } else { "Key" }}</label>
                <input id="key" type="password" autocomplete="off" spellcheck="false"
                    prop:value=move || connection.with(|c| c.key.clone())
                    on:change=move |ev| connection.update(|c| c.key = event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="requests-per-minute">"Requests per minute"</label>
                <input id="requests-per-minute" type="number" min="1" max="10000" step="1" inputmode="numeric"
                    aria-describedby="requests-per-minute-hint requests-per-minute-error"
                    aria-invalid=move || rpm_error.get().is_some().to_string()
                    prop:value=rpm_text
                    on:input=move |ev| rpm_text.set(event_target_value(&ev))
                    on:change=move |ev| {
                        if let Ok(n) = format::requests_per_minute(&event_target_value(&ev)) {
                            connection.update(|c| c.requests_per_minute = n);
                        }
                    }/>
                <p id="requests-per-minute-hint" class="hint">
                    "Your deployment's quota; the studio spreads its requests to stay within it. The service's default is 60."
                </p>
                <p id="requests-per-minute-error" class="field-error" data-testid="requests-per-minute-error">{move || rpm_error.get()}</p>
            </div>
            <div class="field check">
                <input id="remember" type="checkbox" prop:checked=studio.remember
                    on:change=move |ev| studio.remember.set(event_target_checked(&ev))/>
                <label for="remember">"Remember the key on this device"</label>
            </div>
            <div class="toolbar">
                <button type="submit" data-testid="check-connection" prop:disabled=checking>
                    {move || if checking.get() { "Checking…" } else { "Check connection" }}
                </button>
                <button type="button" data-testid="detect" prop:disabled=checking on:click=move |_| run(true)
                    aria-label="Detect which API this endpoint speaks">"Detect"</button>
            </div>
            <div class="outcome" data-testid="connection-outcome">
                {move || outcome.get().map(|result| match result {
                    Ok(message) => view! { <p class="ok" role="status">"✓ " {message}</p> }.into_any(),
                    Err(problem) => view! { <ProblemView problem/> }.into_any(),
                })}
            </div>
        </form>
    }
}
