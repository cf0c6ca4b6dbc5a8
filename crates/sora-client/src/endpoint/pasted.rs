//! Reading what people paste as an endpoint: the path up to `/openai/v1`, and the query's `api-version`.

use crate::api_version;

/// The API's own query parameters: a pasted list or content URL may carry them; they are dropped.
const API_PARAMETERS: [&str; 7] = ["quality", "limit", "before", "after", "statuses", "order", "variant"];

/// The base path for a pasted path (`""` or starting with `/`): what comes before `/openai`, then `/openai/v1`.
///
/// Without an `/openai` segment the whole path is a gateway's prefix. With one, only `/v1` and a
/// video generations path may follow it: anything else would be sent a request it cannot answer.
/// `videos`: the client speaks the Videos API, whose URLs (`…/openai/v1/videos…`) are then the
/// ones accepted after `/openai/v1`.
pub(super) fn base_path(path: &str, videos: bool) -> Result<String, &'static str> {
    let path = path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    let found = (0..segments.len())
        .find(|&i| is(segments[i], "openai") && segments.get(i + 1).is_none_or(|next| is(next, "v1")));
    let Some(at) = found else {
        if segments.iter().any(|s| is(s, "openai")) {
            return Err(
                "has a path under /openai that is not /openai/v1; paste the resource URL or its …/openai/v1 URL",
            );
        }
        return Ok([path, "/openai/v1"].concat());
    };
    let tail = segments.get(at + 2..).unwrap_or_default();
    match (is_jobs_path(tail), is_videos_path(tail), videos) {
        (true, _, false) | (_, true, true) => {}
        (false, true, false) => {
            return Err("is a Videos API URL (…/openai/v1/videos); connect to it as Azure Sora 2 (azure-videos)");
        }
        (true, false, true) => {
            return Err(
                "is a jobs API URL (…/video/generations/jobs); connect to it as the Azure jobs API (azure-jobs)",
            );
        }
        (false, false, false) => {
            return Err("has a path after /openai/v1 that is not the video generations API (…/video/generations/jobs)");
        }
        (false, false, true) => return Err("has a path after /openai/v1 that is not the Videos API (…/videos)"),
    }
    // The segments before `openai`, with the `/` before each but the first (always empty: the path starts with `/`).
    let prefix_len = segments[..at].iter().map(|s| s.len() + 1).sum::<usize>().saturating_sub(1);
    Ok([&path[..prefix_len], "/openai/v1"].concat())
}

/// An OpenAI-compatible base as pasted (`""` or starting with `/`), used as given: trailing
/// slashes dropped, and a pasted Videos API URL (`…/videos`, a video's, its content's) cut back to
/// the base before `/videos`.
pub(super) fn gateway_base(path: &str) -> String {
    let path = path.trim_end_matches('/');
    match path.split('/').position(|s| is(s, "videos")) {
        Some(at) => {
            let prefix_len = path.split('/').take(at).map(|s| s.len() + 1).sum::<usize>().saturating_sub(1);
            path[..prefix_len].to_owned()
        }
        None => path.to_owned(),
    }
}

/// Whether the segments after `/openai/v1` are none, or a Videos API URL: the list, a video, a
/// video's content.
fn is_videos_path(tail: &[&str]) -> bool {
    match tail {
        [] => true,
        [videos, rest @ ..] => {
            is(videos, "videos")
                && (matches!(rest, [] | [_]) || matches!(rest, [_id, content] if is(content, "content")))
        }
    }
}

/// Whether the segments after `/openai/v1` are none, or a video generations URL: the job list, a
/// job, a generation, or a generation's content.
fn is_jobs_path(tail: &[&str]) -> bool {
    let [video, generations, rest @ ..] = tail else { return tail.is_empty() };
    is(video, "video")
        && is(generations, "generations")
        && match rest {
            // `jobs`, or a generation id.
            [] | [_] => true,
            [jobs, _id] => is(jobs, "jobs"),
            [_id, content, kind] => is(content, "content") && (is(kind, "video") || is(kind, "thumbnail")),
            _ => false,
        }
}

fn is(segment: &str, word: &str) -> bool {
    segment.eq_ignore_ascii_case(word)
}

/// The `api-version` a pasted query (its decoded name–value pairs) names, if any; the API's other
/// parameters are dropped.
///
/// Any other parameter is refused rather than dropped: a gateway's key (`?code=`) or signature
/// would silently go missing, and every request fail for a reason nobody could see.
pub(super) fn api_version(query: &[(String, String)]) -> Result<Option<&'static str>, String> {
    let mut found = None;
    for (key, value) in query {
        if is(key, "api-version") {
            let version = api_version::known(value).ok_or_else(|| api_version::unknown_in_endpoint(value))?;
            if found.is_some_and(|earlier| earlier != version) {
                return Err("has two different api-version values; keep one".into());
            }
            found = Some(version);
        } else if !API_PARAMETERS.iter().any(|known| is(key, known)) {
            let key: String = key.chars().take(40).collect();
            return Err([
                "has a query parameter \"",
                &key,
                "\" the client would not send; remove it (only api-version is used)",
            ]
            .concat());
        }
    }
    Ok(found)
}
