//! Listing: newest first, cursors, limits, status filters and page markers.

use reqwest::{Method, StatusCode};

use crate::common::{Emu, error_of, fast, ids, small};

#[tokio::test]
async fn paging_filters_and_markers() {
    let emu = Emu::start(fast()).await;
    // a..e oldest to newest; b and d fail (by their triggers).
    let mut created = Vec::new();
    for prompt in ["a", "b blocked-by-moderation", "c", "d __internal_error__", "e"] {
        let job = emu.create_ok(small(prompt)).await;
        created.push(job["id"].as_str().unwrap().to_owned());
    }
    for id in &created {
        emu.wait_terminal(id).await;
    }
    let [a, b, c, d, e] = <[String; 5]>::try_from(created.clone()).unwrap();

    let (status, page) = emu.list("limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&page), [e.as_str(), d.as_str()]);
    assert_eq!(page["has_more"], true);
    assert_eq!((page["first_id"].as_str(), page["last_id"].as_str()), (Some(e.as_str()), Some(d.as_str())));

    let (_, page) = emu.list(&format!("limit=2&after={d}")).await;
    assert_eq!(ids(&page), [c.as_str(), b.as_str()]);
    assert_eq!(page["has_more"], true);
    let (_, page) = emu.list(&format!("limit=2&after={b}")).await;
    assert_eq!(ids(&page), [a.as_str()]);
    assert_eq!(page["has_more"], false);

    let (_, page) = emu.list(&format!("limit=1&before={c}")).await;
    assert_eq!(ids(&page), [d.as_str()]);
    assert_eq!(page["has_more"], true);
    let (_, page) = emu.list(&format!("limit=5&before={c}")).await;
    assert_eq!(ids(&page), [e.as_str(), d.as_str()]);
    assert_eq!(page["has_more"], false);
    let (_, page) = emu.list(&format!("limit=5&after={e}&before={a}")).await;
    assert_eq!(ids(&page), [d.as_str(), c.as_str(), b.as_str()]);

    // Missing limit defaults to 10.
    let (_, page) = emu.list("").await;
    assert_eq!(ids(&page), [e.as_str(), d.as_str(), c.as_str(), b.as_str(), a.as_str()]);
    assert_eq!(page["has_more"], false);

    let (_, page) = emu.list("statuses=failed").await;
    assert_eq!(ids(&page), [d.as_str(), b.as_str()]);
    let (_, page) = emu.list("statuses=succeeded,failed&limit=100").await;
    assert_eq!(ids(&page).len(), 5);
    let (_, page) = emu.list("statuses=succeeded&limit=1&after=".to_owned().as_str()).await;
    assert_eq!(ids(&page), [e.as_str()]);
    let (_, page) = emu.list("statuses=queued").await;
    assert!(ids(&page).is_empty());
    assert_eq!(page["has_more"], false);
    assert!(page.get("first_id").is_none() && page.get("last_id").is_none(), "{page}");

    // A deleted job still works as a cursor.
    emu.api(Method::DELETE, &format!("/jobs/{c}")).send().await.unwrap();
    let (_, page) = emu.list(&format!("after={c}")).await;
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
        let (status, body) = emu.list(query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error_of(&body)["param"], param, "{query}");
    }
    let (status, _) = emu.list("limit=100&statuses=queued,%20running&before=&after=").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn statuses_as_one_value_repeated_keys_or_both_and_limit_defaults_to_10() {
    let emu = Emu::start(fast()).await;
    let mut prompts = vec!["done".to_owned(), "blocked-by-moderation".to_owned()];
    // Cancelled jobs render nothing, so they make a cheap long list.
    prompts.extend((0..10).map(|i| format!("__cancelled__ {i}")));
    let mut created = Vec::new();
    for prompt in &prompts {
        let job = emu.create_ok(small(prompt)).await;
        created.push(job["id"].as_str().unwrap().to_owned());
    }
    for id in &created {
        emu.wait_terminal(id).await;
    }
    let (done, failed) = (created[0].as_str(), created[1].as_str());
    let cancelled: Vec<&str> = created[2..].iter().rev().map(String::as_str).collect();

    let (status, page) = emu.list("").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&page), cancelled, "no limit: the 10 newest");
    assert_eq!(page["has_more"], true);

    for query in
        ["statuses=succeeded,failed", "statuses=succeeded&statuses=failed", "statuses=failed&statuses=succeeded,failed"]
    {
        let (status, page) = emu.list(query).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        assert_eq!(ids(&page), [failed, done], "{query}");
    }
    let (_, page) = emu.list("limit=100&statuses=cancelled,failed&statuses=succeeded").await;
    assert_eq!(ids(&page).len(), 12);
    let (_, page) = emu.list("limit=100&statuses=queued&statuses=running").await;
    assert!(ids(&page).is_empty(), "{page}");

    for query in ["statuses=failed&statuses=bogus", "statuses=failed&statuses=", "statuses=Failed"] {
        let (status, body) = emu.list(query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        let error = error_of(&body);
        assert_eq!(error["param"], "statuses", "{query}");
        assert_eq!(error["code"], "invalid_value", "{query}");
    }
}
