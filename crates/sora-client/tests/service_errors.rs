//! The errors people meet first, against the real emulator: an unknown deployment, a prompt the
//! content filter refuses (wrapped and flat envelopes), each failure reason, a cancelled job, and
//! a job lifecycle whose order the client does not rely on.
#![cfg(not(target_arch = "wasm32"))]

mod live;
mod support;

use std::cell::RefCell;

use live::{EXTRA_DEPLOYMENT, Emulator, run};
use sora_client::{
    Auth, Client, CreateVideoRequest, Error, FailureReason, JobStatus, ListJobsQuery, Progress, VideoSize, WaitOptions,
};
use support::{Scripted, block_on, job};

fn request(model: &str, prompt: &str) -> CreateVideoRequest {
    let mut request = CreateVideoRequest::new(model, prompt, VideoSize::Square480);
    request.n_seconds = 1;
    request
}

fn api_error(result: Result<sora_client::VideoGenerationJob, Error>) -> sora_client::ApiError {
    match result {
        Err(Error::Api(api)) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn an_unknown_deployment_is_recognised_in_both_envelopes() {
    for emulator in [Emulator::wrapped(), Emulator::flat()] {
        run(async {
            let client = emulator.client();
            let e = api_error(client.create_job(&request("no-such-deployment", "A calm lake")).await);
            assert_eq!(e.status, 404, "{e}");
            assert!(e.is_unknown_deployment(), "{e:?}");
            assert!(!e.is_content_policy(), "{e:?}");
            assert!(
                e.message.contains("'no-such-deployment'") && e.message.contains("does not exist"),
                "{}",
                e.message
            );
            assert_eq!(e.error_type.as_deref(), Some("video_generation_user_error"));
            // `sora` and the deployments named with --deployment exist.
            for model in ["sora", EXTRA_DEPLOYMENT] {
                let job = client.create_job(&request(model, "A calm lake")).await.unwrap();
                assert_eq!(job.model, model);
            }
        });
    }
}

#[test]
fn a_refused_prompt_comes_back_revised_in_both_envelopes() {
    for emulator in [Emulator::wrapped(), Emulator::flat()] {
        run(async {
            let client = emulator.client();
            let prompt = "A scene of violence   in the street, <b>not bold</b>";
            let e = api_error(client.create_job(&request("sora", prompt)).await);
            assert_eq!(
                (e.status, e.code.as_deref(), e.param.as_deref()),
                (400, Some("content_policy_violation"), Some("prompt")),
                "{e:?}"
            );
            assert_eq!(e.inner_code.as_deref(), Some("ResponsibleAIPolicyViolation"));
            assert_eq!(e.revised_prompt.as_deref(), Some("A scene of in the street, <b>not bold</b>"));
            assert!(e.is_content_policy() && !e.is_unknown_deployment());
            assert!(e.to_string().contains("revised prompt: A scene of in the street"), "{e}");
            let jobs = client.list_jobs(&ListJobsQuery { limit: 100, ..Default::default() }).await.unwrap();
            assert!(jobs.data.iter().all(|j| j.prompt != prompt), "a refused create makes no job");
        });
    }
}

#[test]
fn each_failure_reason_ends_the_wait_with_it() {
    let cases = [
        ("A quiet harbour blocked-by-moderation", FailureReason::InputModeration),
        ("A quiet harbour __output_moderation__", FailureReason::OutputModeration),
        ("A quiet harbour __internal_error__", FailureReason::InternalError),
    ];
    run(async {
        let client = Emulator::wrapped().client();
        for (prompt, expected) in cases {
            let (job_id, reason) = match client.create_and_wait(&request("sora", prompt), &WaitOptions::default()).await
            {
                Err(Error::JobFailed { job_id, reason }) => (job_id, reason),
                other => panic!("{prompt}: {other:?}"),
            };
            assert_eq!(reason.as_ref(), Some(&expected), "{prompt}");
            let job = client.get_job(&job_id).await.unwrap();
            assert_eq!((job.status, job.failure_reason), (JobStatus::Failed, Some(expected)), "{prompt}");
        }
    });
}

#[test]
fn a_cancelled_job_ends_the_wait_as_cancelled() {
    run(async {
        let client = Emulator::wrapped().client();
        let error = client
            .create_and_wait(&request("sora", "A quiet harbour __cancelled__"), &WaitOptions::default())
            .await
            .unwrap_err();
        let Error::JobCancelled { job_id } = &error else { panic!("{error:?}") };
        assert_eq!(
            error.to_string(),
            format!("job {job_id} was cancelled on the service before it made a video; submit it again")
        );
        let job = client.get_job(job_id).await.unwrap();
        assert_eq!(job.status, JobStatus::Cancelled);
        assert!(job.generations.is_empty());
    });
}

#[test]
fn the_lifecycle_runs_from_queued_to_succeeded() {
    run(async {
        let client = Emulator::wrapped().client();
        let created = client.create_job(&request("sora", "A paper boat on a puddle")).await.unwrap();
        assert_eq!(created.status, JobStatus::Queued, "create answers queued");
        let seen = RefCell::new(vec![created.status.clone()]);
        let note = |p: &Progress| {
            let mut seen = seen.borrow_mut();
            if let Some(status) = p.status.clone().filter(|s| seen.last() != Some(s)) {
                seen.push(status);
            }
        };
        let done = client
            .wait_for_job(&created.id, &WaitOptions { on_progress: Some(&note), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(done.status, JobStatus::Succeeded);
        assert_eq!(done.generations.len(), 1);
        let seen = seen.into_inner();
        assert_eq!(seen.last(), Some(&JobStatus::Succeeded), "{seen:?}");
        assert!(seen.len() >= 3, "saw the job move through the service's states: {seen:?}");
        let in_progress = [JobStatus::Queued, JobStatus::Preprocessing, JobStatus::Running, JobStatus::Processing];
        assert!(seen[..seen.len() - 1].iter().all(|s| in_progress.contains(s)), "{seen:?}");
    });
}

/// Statuses in any order, unknown ones among them: only the terminal one decides.
#[test]
fn the_wait_does_not_rely_on_the_order_of_statuses() {
    let t = Scripted::default();
    for status in ["processing", "queued", "validating", "preprocessing", "running", "queued", "succeeded"] {
        t.ok(&job("task_1", status, 0));
    }
    let client = Client::new("http://localhost:9", Auth::ApiKey("k".into()), &t).unwrap();
    let done = block_on(client.wait_for_job("task_1", &WaitOptions::default())).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
    assert_eq!(t.sent.borrow().len(), 7, "polled through every status");
}
