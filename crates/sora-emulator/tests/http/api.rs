//! Every operation end to end, ids and per-response headers.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Emu, error_of, generation_id, json_of, small};

#[tokio::test]
async fn every_operation_round_trips() {
    let emu = Emu::shared();
    let created = emu.create_ok(small("A lighthouse at dusk")).await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["object"], "video.generation.job");
    assert!(id.starts_with("task_") && id.len() == 31, "{id}");
    assert!(id[5..].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
    assert_eq!(created["generations"], json!([]));
    assert!(created["finished_at"].is_null() && created["expires_at"].is_null());
    assert!(created["failure_reason"].is_null());
    assert_eq!(
        (created["width"].as_u64(), created["n_seconds"].as_u64(), created["n_variants"].as_u64()),
        (Some(480), Some(1), Some(1))
    );

    let job = emu.wait_terminal(&id).await;
    assert_eq!(job["status"], "succeeded");
    let finished = job["finished_at"].as_u64().expect("finished_at");
    assert_eq!(job["expires_at"].as_u64(), Some(finished + 86_400));
    let generation = &job["generations"][0];
    let gen_id = generation_id(&job);
    assert!(gen_id.starts_with("gen_") && gen_id.len() == 30);
    assert_eq!(generation["job_id"], id.as_str());
    assert_eq!(generation["object"], "video.generation");
    assert_eq!(generation["prompt"], "A lighthouse at dusk");

    let (status, listed) =
        json_of(emu.api(Method::GET, "/jobs?api-version=preview&limit=100").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["object"], "list");
    assert!(listed["data"].as_array().unwrap().iter().any(|j| j["id"] == id.as_str()));

    let (status, fetched) =
        json_of(emu.api(Method::GET, &format!("/{gen_id}?api-version=preview")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&fetched, generation);

    let video = emu.api(Method::GET, &format!("/{gen_id}/content/video?api-version=preview")).send().await.unwrap();
    assert_eq!(video.status(), StatusCode::OK);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    assert!(video.bytes().await.unwrap().len() > 1000);
    let thumb = emu.api(Method::GET, &format!("/{gen_id}/content/thumbnail?api-version=preview")).send().await.unwrap();
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    assert!(thumb.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));
    let head = emu.api(Method::HEAD, &format!("/{gen_id}/content/video?api-version=preview")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);

    let deleted = emu.api(Method::DELETE, &format!("/jobs/{id}?api-version=preview")).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(deleted.bytes().await.unwrap().is_empty());
    for path in [
        format!("/jobs/{id}"),
        format!("/{gen_id}"),
        format!("/{gen_id}/content/video"),
        format!("/{gen_id}/content/thumbnail"),
    ] {
        let (status, body) = json_of(emu.api(Method::GET, &path).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_of(&body)["code"], "not_found");
    }
    let again = emu.api(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_ids_are_wrapped_404s() {
    let emu = Emu::shared();
    for (method, path) in [
        (Method::GET, "/jobs/task_00000000000000000000000000"),
        (Method::DELETE, "/jobs/nope"),
        (Method::GET, "/gen_nope"),
        (Method::GET, "/gen_nope/content/video"),
        (Method::HEAD, "/gen_nope/content/video"),
        (Method::GET, "/gen_nope/content/thumbnail"),
    ] {
        let response = emu.api(method.clone(), path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        if method != Method::HEAD {
            let (_, body) = json_of(response).await;
            error_of(&body);
        }
    }
    // A job id used where a generation id belongs gets a hint.
    let (_, body) = json_of(emu.api(Method::GET, "/task_00000000000000000000000000").send().await.unwrap()).await;
    assert!(error_of(&body)["message"].as_str().unwrap().contains("generations[i].id"));
    let (status, body) = json_of(
        emu.client.get(emu.url("/openai/v1/elsewhere")).header("api-key", "emulator-key").send().await.unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    error_of(&body);
}

#[tokio::test]
async fn every_response_has_request_id_and_corp() {
    let emu = Emu::shared();
    let responses = vec![
        emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap(),
        emu.api(Method::GET, "/jobs/nope").send().await.unwrap(),
        emu.client.get(emu.url("/openai/v1/video/generations/jobs")).send().await.unwrap(),
        emu.api(Method::POST, "/jobs").body("{").header("content-type", "application/json").send().await.unwrap(),
        emu.api(Method::PUT, "/jobs").send().await.unwrap(),
        emu.client.get(emu.url("/admin/requests")).send().await.unwrap(),
        emu.client.get(emu.url("/healthz")).send().await.unwrap(),
        emu.client.get(emu.url("/no/such/page")).send().await.unwrap(),
        emu.client
            .request(Method::OPTIONS, emu.url("/openai/v1/video/generations/jobs"))
            .header("origin", "http://studio.test")
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap(),
    ];
    let mut ids = std::collections::HashSet::new();
    for response in responses {
        let id = response.headers().get("apim-request-id").expect("apim-request-id").to_str().unwrap().to_owned();
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(id.matches('-').count(), 4);
        assert!(ids.insert(id), "request ids are unique");
        assert_eq!(response.headers()["cross-origin-resource-policy"], "cross-origin", "{}", response.url());
    }
}

#[tokio::test]
async fn unsupported_method_is_405_with_allow() {
    let emu = Emu::shared();
    let response = emu.api(Method::PUT, "/jobs").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let (_, body) = json_of(response).await;
    error_of(&body);
    // Undecodable path segments are wrapped errors too.
    let (status, body) = json_of(emu.api(Method::GET, "/jobs/%FF%FE").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    error_of(&body);
}
