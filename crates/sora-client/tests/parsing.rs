//! Response parsing: the spec's shapes, the wire's nulls and strings, and unknown values.

use sora_client::{FailureReason, JobStatus, VideoGenerationJob, VideoGenerationJobList, json};

#[test]
fn parses_the_pyrit_fixture() {
    let body = br#"{"object": "video.generation.job", "id": "task_01", "status": "succeeded",
 "created_at": 1743551594, "finished_at": 1743551606,
 "generations": [{"object": "video.generation", "id": "gen_01", "job_id": "task_01", "created_at": 1743551625,
                  "width": 480, "height": 480, "n_seconds": 5, "prompt": "test_success"}],
 "prompt": "test_success", "n_variants": 1, "n_seconds": 5, "height": 480, "width": 480, "failure_reason": null}"#;
    let job: VideoGenerationJob = json::decode(body).unwrap();
    assert_eq!(job.status, JobStatus::Succeeded);
    assert_eq!(job.finished_at, Some(1743551606));
    assert_eq!(job.failure_reason, None);
    assert_eq!(job.generations.len(), 1);
    assert_eq!(job.generations[0].id, "gen_01");
    assert_eq!((job.width, job.height, job.n_seconds), (480, 480, 5));
}

#[test]
fn accepts_nulls_strings_and_unknown_values() {
    let body = br#"{"id":"task_2","status":"rendering_on_mars","created_at":1,"finished_at":null,
        "expires_at":null,"generations":null,"prompt":"p","model":"sora","n_variants":"2","n_seconds":"5",
        "height":"720","width":"1280","failure_reason":"cosmic_rays","brand_new_field":{"x":[1,2]}}"#;
    let job: VideoGenerationJob = json::decode(body).unwrap();
    assert_eq!(job.status, JobStatus::Other("rendering_on_mars".into()));
    assert!(!job.status.is_terminal());
    assert_eq!(job.failure_reason, Some(FailureReason::Other("cosmic_rays".into())));
    assert!(job.generations.is_empty());
    assert_eq!((job.width, job.height, job.n_variants), (1280, 720, 2));
}

#[test]
fn every_known_status_round_trips() {
    for status in JobStatus::KNOWN {
        assert_eq!(JobStatus::from_wire(status.as_str()), status);
    }
    let terminal: Vec<_> = JobStatus::KNOWN.iter().filter(|s| s.is_terminal()).map(JobStatus::as_str).collect();
    assert_eq!(terminal, ["succeeded", "failed", "cancelled"]);
}

#[test]
fn parses_lists_and_empty_lists() {
    let list: VideoGenerationJobList =
        json::decode(br#"{"object":"list","data":[],"has_more":false,"first_id":null,"last_id":null}"#).unwrap();
    assert!(list.data.is_empty());
    assert_eq!(list.first_id, None);
    let list: VideoGenerationJobList = json::decode(
        br#"{"object":"list","data":[{"id":"task_a","status":"queued"}],"has_more":true,"first_id":"task_a","last_id":"task_a"}"#,
    )
    .unwrap();
    assert!(list.has_more);
    assert_eq!(list.data[0].status, JobStatus::Queued);
}

#[test]
fn wrong_types_are_decode_errors_with_a_snippet() {
    for body in [
        &br#"{"id":5,"status":"queued"}"#[..],
        b"{\"id\":\"x\"",
        b"not json",
        br#"{"id":"x","status":"queued","width":-3}"#,
    ] {
        match json::decode::<VideoGenerationJob>(body) {
            Err(sora_client::Error::Decode { snippet, .. }) => assert!(!snippet.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
