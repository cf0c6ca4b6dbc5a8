//! Listing: newest first, cursors, limits, status filters and page markers.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::{Emu, error_of, fast, json_of, small};

/// Lists with a query string; returns (status, body).
async fn list(emu: &Emu, query: &str) -> (StatusCode, Value) {
    json_of(
        emu.api(Method::GET, &format!("/jobs?api-version=preview&{query}"))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The ids of a page.
fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_filters_and_markers() {
    let emu = Emu::start(fast()).await;
    // a..e oldest to newest; b and d fail moderation.
    let mut created = Vec::new();
    for prompt in ["a", "b violence", "c", "d gore", "e"] {
        let job = emu.create_ok(small(prompt)).await;
        created.push(job["id"].as_str().unwrap().to_owned());
    }
    for id in &created {
        emu.wait_terminal(id).await;
    }
    let [a, b, c, d, e] = <[String; 5]>::try_from(created.clone()).unwrap();

    let (status, page) = list(&emu, "limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&page), [e.as_str(), d.as_str()]);
    assert_eq!(page["has_more"], true);
    assert_eq!(
        (page["first_id"].as_str(), page["last_id"].as_str()),
        (Some(e.as_str()), Some(d.as_str()))
    );

    let (_, page) = list(&emu, &format!("limit=2&after={d}")).await;
    assert_eq!(ids(&page), [c.as_str(), b.as_str()]);
    assert_eq!(page["has_more"], true);
    let (_, page) = list(&emu, &format!("limit=2&after={b}")).await;
    assert_eq!(ids(&page), [a.as_str()]);
    assert_eq!(page["has_more"], false);

    let (_, page) = list(&emu, &format!("limit=1&before={c}")).await;
    assert_eq!(ids(&page), [d.as_str()]);
    assert_eq!(page["has_more"], true);
    let (_, page) = list(&emu, &format!("limit=5&before={c}")).await;
    assert_eq!(ids(&page), [e.as_str(), d.as_str()]);
    assert_eq!(page["has_more"], false);
    let (_, page) = list(&emu, &format!("limit=5&after={e}&before={a}")).await;
    assert_eq!(ids(&page), [d.as_str(), c.as_str(), b.as_str()]);

    // Missing limit defaults to 10.
    let (_, page) = list(&emu, "").await;
    assert_eq!(
        ids(&page),
        [e.as_str(), d.as_str(), c.as_str(), b.as_str(), a.as_str()]
    );
    assert_eq!(page["has_more"], false);

    let (_, page) = list(&emu, "statuses=failed").await;
    assert_eq!(ids(&page), [d.as_str(), b.as_str()]);
    let (_, page) = list(&emu, "statuses=succeeded,failed&limit=100").await;
    assert_eq!(ids(&page).len(), 5);
    let (_, page) = list(
        &emu,
        "statuses=succeeded&limit=1&after=".to_owned().as_str(),
    )
    .await;
    assert_eq!(ids(&page), [e.as_str()]);
    let (_, page) = list(&emu, "statuses=queued").await;
    assert!(ids(&page).is_empty());
    assert_eq!(page["has_more"], false);
    assert!(
        page.get("first_id").is_none() && page.get("last_id").is_none(),
        "{page}"
    );

    // A deleted job still works as a cursor.
    emu.api(Method::DELETE, &format!("/jobs/{c}"))
        .send()
        .await
        .unwrap();
    let (_, page) = list(&emu, &format!("after={c}")).await;
    assert_eq!(ids(&page), [b.as_str(), a.as_str()]);
}

#[tokio::test]
async fn bad_list_parameters_are_400s() {
    let emu = Emu::shared();
    for (query, param) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=1.5", "limit"),
        ("statuses=running,bogus", "statuses"),
        ("statuses=", "statuses"),
        ("statuses=queued,", "statuses"),
        ("after=not-a-job", "after"),
        ("before=gen_01", "before"),
    ] {
        let (status, body) = list(&emu, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error_of(&body)["param"], param, "{query}");
    }
    let (status, _) = list(&emu, "limit=100&statuses=queued,%20running&before=&after=").await;
    assert_eq!(status, StatusCode::OK);
}
