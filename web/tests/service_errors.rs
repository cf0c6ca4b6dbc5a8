//! What the studio says, and offers, for the errors people meet first: an unknown deployment, a
//! refused prompt, and each way a job ends without a video (headless Chromium, no service needed).

use sora_client::{ApiError, Error, FailureReason, JobStatus};
use sora_studio::format;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const UNKNOWN: &str = "The API deployment 'nope' for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";

fn api(status: u16, body: &str) -> ApiError {
    ApiError::from_response(status, body.as_bytes(), Some("req-9".into()), None)
}

#[wasm_bindgen_test]
fn an_unknown_deployment_is_named_with_what_to_fix() {
    let wrapped = api(
        404,
        &format!(
            r#"{{"error":{{"message":"{UNKNOWN}","type":"video_generation_user_error","param":null,"code":null}}}}"#
        ),
    );
    let flat = api(
        404,
        &format!(r#"{{"message":"{UNKNOWN}","type":"video_generation_user_error","param":null,"code":null}}"#),
    );
    let azure = api(
        404,
        r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}"#,
    );
    for e in [wrapped, flat, azure] {
        let p = format::unknown_deployment("nope", &e);
        assert_eq!(p.title, "No deployment named 'nope' on this resource");
        assert!(p.detail.contains("HTTP 404") && p.detail.contains("request id req-9"), "{p:?}");
        assert!(p.detail.contains("Correct the deployment name under Connection"), "{p:?}");
        let general = format::describe(&Error::Api(Box::new(e)));
        assert_eq!(general.title, "No deployment by that name on this resource");
    }
    let other = format::describe(&Error::Api(Box::new(api(404, r#"{"error":{"message":"Resource not found"}}"#))));
    assert_eq!(other.title, "Nothing found at this endpoint");
    assert_eq!(format::deployment_message("nope"), "No deployment named 'nope' on this resource");
}

#[wasm_bindgen_test]
fn a_refused_prompt_says_what_to_do() {
    let inner = r#""inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":"A calm street"}"#;
    let fields = r#""code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","param":"prompt""#;
    for body in [format!(r#"{{"error":{{{fields},{inner}}}}}"#), format!(r#"{{{fields},{inner}}}"#)] {
        let p = format::describe(&Error::Api(Box::new(api(400, &body))));
        assert_eq!(p.title, "Blocked by the content policy", "{body}");
        assert_eq!(p.revised_prompt.as_deref(), Some("A calm street"), "{body}");
        assert!(p.detail.contains("use the one the service suggests"), "{p:?}");
    }
    let unrevised = format::describe(&Error::Api(Box::new(api(400, &format!("{{{fields}}}")))));
    assert!(unrevised.detail.ends_with("Edit the prompt, then create the video again."), "{unrevised:?}");
}

#[wasm_bindgen_test]
fn every_ending_without_a_video_says_what_happened_and_what_next() {
    let failed =
        |reason: Option<FailureReason>| format::describe_ended(&JobStatus::Failed, reason.as_ref()).expect("explained");
    let input = failed(Some(FailureReason::InputModeration));
    assert!(input.title == "Blocked by content moderation" && input.detail.contains("Edit the prompt"), "{input:?}");
    let output = failed(Some(FailureReason::OutputModeration));
    assert!(
        output.detail.contains("output_moderation")
            && output.detail.contains("Try again")
            && output.detail.contains("edit the prompt"),
        "{output:?}"
    );
    let internal = failed(Some(FailureReason::InternalError));
    assert!(internal.detail.contains("internal_error") && internal.detail.contains("Try again"), "{internal:?}");
    let cancelled = format::describe_ended(&JobStatus::Cancelled, None).expect("explained");
    assert_eq!(cancelled.title, "Cancelled");
    assert!(cancelled.detail.contains("Try again"), "{cancelled:?}");
    assert_eq!(format::describe(&Error::JobCancelled { job_id: "t".into() }), cancelled);
    assert_eq!(format::describe_ended(&JobStatus::Succeeded, None), None);
    assert_eq!(format::describe_ended(&JobStatus::Running, None), None);
}

#[wasm_bindgen_test]
fn each_ending_offers_the_next_steps_that_make_sense() {
    // (Try again, Edit prompt); Delete is always there.
    let table = [
        (JobStatus::Failed, Some(FailureReason::InputModeration), (false, true)),
        (JobStatus::Failed, Some(FailureReason::OutputModeration), (true, true)),
        (JobStatus::Failed, Some(FailureReason::InternalError), (true, false)),
        (JobStatus::Failed, Some(FailureReason::Other("gpu_melted".into())), (true, true)),
        (JobStatus::Failed, None, (true, true)),
        (JobStatus::Cancelled, None, (true, false)),
        (JobStatus::Succeeded, None, (false, false)),
        (JobStatus::Queued, None, (false, false)),
    ];
    for (status, reason, offers) in table {
        assert_eq!(format::ended_actions(&status, reason.as_ref()), offers, "{status} {reason:?}");
    }
}

#[wasm_bindgen_test]
fn the_progress_bar_does_not_rely_on_the_order_of_early_statuses() {
    assert_eq!(format::status_fraction(&JobStatus::Queued), format::status_fraction(&JobStatus::Preprocessing));
    assert!(format::status_fraction(&JobStatus::Queued) < format::status_fraction(&JobStatus::Running));
}
