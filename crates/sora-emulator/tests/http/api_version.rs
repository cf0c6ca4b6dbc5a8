//! `api-version`: only `preview`, `v1` or none on the API; admin and other routes ignore it.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Emu, json_of};

#[tokio::test]
async fn preview_v1_and_none_are_served() {
    let emu = Emu::shared();
    for query in ["api-version=preview&", "api-version=v1&", ""] {
        let response = emu.api(Method::GET, &format!("/jobs?{query}limit=1")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{query}");
    }
}

#[tokio::test]
async fn any_other_version_is_a_400_naming_it() {
    let emu = Emu::shared();
    for version in ["latest", "2025-04-01-preview", "2025-02-15", "v2", "Preview", "banana", ""] {
        let (status, body) =
            json_of(emu.api(Method::GET, &format!("/jobs?limit=1&api-version={version}")).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{version}: {body}");
        assert_eq!(
            body,
            json!({"error": {
                "code": "BadRequest",
                "message": format!("Unsupported api-version '{version}'. Use preview or v1, or leave it out."),
                "param": "api-version",
                "type": "invalid_request_error",
            }}),
            "{version}"
        );
    }
}

#[tokio::test]
async fn every_api_route_checks_it_even_when_repeated() {
    let emu = Emu::shared();
    let job = emu.succeeded("versioned").await;
    let id = job["id"].as_str().unwrap();
    let generation = job["generations"][0]["id"].as_str().unwrap();
    let paths = [
        format!("/jobs/{id}?api-version=latest"),
        format!("/{generation}?api-version=latest"),
        format!("/{generation}/content/video?api-version=latest"),
        format!("/{generation}/content/thumbnail?api-version=latest"),
        format!("/jobs/{id}?api-version=preview&api-version=latest"),
    ];
    for path in &paths {
        let (status, body) = json_of(emu.api(Method::GET, path).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"]["param"], "api-version", "{path}");
    }
    let (status, body) = json_of(
        emu.api(Method::POST, "/jobs?api-version=2025-04-01-preview")
            .json(&crate::common::small("p"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "BadRequest");
}

#[tokio::test]
async fn admin_and_health_routes_ignore_it() {
    let emu = Emu::shared();
    let response = emu.admin(Method::GET, "config?api-version=latest", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = emu.client.get(emu.url("/healthz?api-version=latest")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
