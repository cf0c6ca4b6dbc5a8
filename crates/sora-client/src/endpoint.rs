//! Endpoint normalisation and URL building.

use crate::error::Error;
use crate::platform;
use crate::protocol::Protocol;

mod pasted;

/// A validated service base URL with no trailing slash (ending in `/openai/v1` on Azure), and the
/// `api-version` its text carried, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    /// The length of the origin (`scheme://host[:port]`) at the start of `base`.
    origin_len: usize,
    api_version: Option<&'static str>,
}

impl Endpoint {
    /// Normalise an endpoint as people paste it: the resource URL (`https://my-resource.openai.azure.com`),
    /// or that with `/openai`, `/openai/v1`, or any URL of the video generations API under it (the
    /// portal's target URL `…/openai/v1/video/generations/jobs?api-version=preview`, a job's, a
    /// generation's or its content's URL).
    ///
    /// Reads the text as the WHATWG URL standard does (what browsers do: host names lower-cased and
    /// IDNA-mapped, a default port dropped, the path percent-encoded and its dot segments resolved).
    /// Keeps the path before `/openai` (a gateway's prefix) and adds `/openai/v1` once; drops
    /// trailing slashes, surrounding white space and the API's own query parameters (`quality`,
    /// `limit`, …); keeps `api-version` (see [`Endpoint::api_version`]). Requires `https` except for
    /// loopback hosts, so a key never crosses a network in clear.
    ///
    /// # Errors
    /// [`Error::Validation`] on field `endpoint` when the text is not an http(s) URL, has spaces or
    /// control characters, a fragment,
    /// credentials, an `api-version` other than `preview` or `v1`, a query parameter the API does not
    /// define, a path under `/openai` that is not the video generations API, or uses `http` for a
    /// host other than loopback.
    pub fn parse(input: &str) -> Result<Self, Error> {
        Self::parse_for(input, Protocol::AzureJobs)
    }

    /// Normalise an endpoint for `protocol`: on Azure as [`Endpoint::parse`] (which also takes the
    /// Videos API's URLs, `…/openai/v1/videos…`); an OpenAI-compatible base is used as given
    /// (`https://gateway.example/v1`), with trailing slashes and a pasted `/videos…` tail dropped.
    ///
    /// # Errors
    /// As [`Endpoint::parse`].
    pub fn parse_for(input: &str, protocol: Protocol) -> Result<Self, Error> {
        let invalid = |message: &str| Error::Validation { field: "endpoint", message: message.to_owned() };
        let text = input.trim();
        // The URL standard would drop tabs and newlines inside and encode spaces: pasted text with
        // them is more likely two things run together than one URL.
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("must not contain spaces or control characters"));
        }
        let url = platform::parse_url(text).ok_or_else(|| {
            invalid("must be a URL such as https://my-resource.openai.azure.com, with a valid host name and port")
        })?;
        if url.scheme != "https" && url.scheme != "http" {
            return Err(invalid("must be a URL that starts with https://"));
        }
        if url.has_fragment {
            return Err(invalid("must not contain a fragment (#)"));
        }
        if url.has_credentials {
            return Err(invalid("must not contain user credentials; use the key or token fields"));
        }
        if url.scheme == "http" && !is_loopback(&url.host) {
            return Err(invalid("must use https:// (plain http is allowed only for localhost)"));
        }
        let api_version =
            pasted::api_version(&url.query).map_err(|message| Error::Validation { field: "endpoint", message })?;
        let path = match protocol {
            Protocol::OpenAiVideos => pasted::gateway_base(&url.path),
            _ => pasted::base_path(&url.path, protocol.is_videos()).map_err(invalid)?,
        };
        let port = url.port.map(|port| [":", &port.to_string()].concat()).unwrap_or_default();
        let origin = [url.scheme.as_str(), "://", &url.host, &port].concat();
        Ok(Self { origin_len: origin.len(), base: origin + &path, api_version })
    }

    /// The `api-version` the pasted text carried (`?api-version=`), if any: `preview` or `v1`.
    pub fn api_version(&self) -> Option<&'static str> {
        self.api_version
    }

    /// The `api-version` a client configured with `configured` sends here: the pasted one replaces
    /// the default ([`DEFAULT_API_VERSION`](crate::DEFAULT_API_VERSION)); any other configured
    /// value must agree with it.
    ///
    /// # Errors
    /// [`Error::Validation`] on field `api_version` when `configured` is not `preview` or `v1`, or
    /// disagrees with the pasted one.
    pub fn api_version_with(&self, configured: &str) -> Result<&'static str, Error> {
        crate::api_version::effective(configured, self.api_version)
    }

    /// The base URL (ending in `/openai/v1` on Azure).
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The origin (`scheme://host[:port]`), the only place credentials may be sent.
    pub fn origin(&self) -> &str {
        &self.base[..self.origin_len]
    }

    /// Build `base + path segments + ?api-version=...&query`, percent-encoding every segment and
    /// value (no `api-version` when `None`: the Videos API takes none).
    pub fn url(&self, segments: &[&str], api_version: Option<&str>, query: &[(&str, &str)]) -> String {
        let mut url = self.base.clone();
        for segment in segments {
            url.push('/');
            url.push_str(&platform::encode_component(segment));
        }
        let version = api_version.map(|v| ("api-version", v));
        for (index, (key, value)) in version.iter().chain(query).enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&platform::encode_component(key));
            url.push('=');
            url.push_str(&platform::encode_component(value));
        }
        url
    }
}

/// Whether a host (as the URL standard serialises it) is this machine: `localhost`, `*.localhost`,
/// `127.0.0.0/8` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    let address = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    host == "localhost"
        || host.ends_with(".localhost")
        || address.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        Endpoint::parse(input).map(|e| e.as_str().to_owned()).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    fn err(input: &str) -> String {
        match Endpoint::parse(input) {
            Ok(e) => panic!("{input} accepted as {}", e.as_str()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn normalises() {
        let expected = "https://res.openai.azure.com/openai/v1";
        for input in [
            "https://res.openai.azure.com",
            "https://res.openai.azure.com/",
            "  https://res.openai.azure.com//  ",
            "https://res.openai.azure.com/openai",
            "https://res.openai.azure.com/openai/",
            "https://res.openai.azure.com/openai/v1",
            "https://res.openai.azure.com/openai/v1/",
            "HTTPS://RES.openai.azure.com",
        ] {
            assert_eq!(ok(input), expected, "{input}");
        }
        assert_eq!(ok("https://gw.example.com/proxy/"), "https://gw.example.com/proxy/openai/v1");
        assert_eq!(ok("http://127.0.0.1:8787"), "http://127.0.0.1:8787/openai/v1");
        assert_eq!(ok("http://localhost:8787/"), "http://localhost:8787/openai/v1");
        assert_eq!(ok("http://[::1]:8787"), "http://[::1]:8787/openai/v1");
    }

    #[test]
    fn rejects() {
        assert!(err("res.openai.azure.com").contains("must be a URL"));
        assert!(err("ftp://res.openai.azure.com").contains("https://"));
        assert!(err("http://res.openai.azure.com").contains("only for localhost"));
        assert!(err("http://127.0.0.1.evil.com").contains("only for localhost"));
        assert!(err("http://10.0.0.1:80").contains("only for localhost"));
        assert!(err("https://res.openai.azure.com/?api-version=x").contains("preview or v1"));
        assert!(err("https://res.openai.azure.com/?code=x").contains("query parameter \"code\""));
        assert!(err("https://res.openai.azure.com/#x").contains("fragment"));
        assert!(err("https://user:pw@res.openai.azure.com").contains("credentials"));
        assert!(err("https://bad host/").contains("spaces"));
        for not_a_url in [
            "",
            "https://",
            "http://[::1]evil.com",
            "http://[::1]8787",
            "http://localhost:80x",
            "http://localhost:65536",
            "http://[::1",
            "http://[]:80",
            "http://[:::1]",
        ] {
            assert!(err(not_a_url).contains("must be a URL such as https://"), "{not_a_url}");
        }
    }

    #[test]
    fn origin() {
        let e = Endpoint::parse("https://gw.example.com:8443/proxy").unwrap();
        assert_eq!(e.origin(), "https://gw.example.com:8443");
    }

    #[test]
    fn builds_urls_with_encoded_segments() {
        let e = Endpoint::parse("http://localhost:1").unwrap();
        assert_eq!(
            e.url(
                &["video", "generations", "jobs"],
                Some("preview"),
                &[("limit", "10"), ("statuses", "queued,running")]
            ),
            "http://localhost:1/openai/v1/video/generations/jobs?api-version=preview&limit=10&statuses=queued%2Crunning"
        );
        let hostile = e.url(&["video", "generations", "jobs", "../../x?y#z/é"], Some("preview"), &[]);
        assert_eq!(
            hostile,
            "http://localhost:1/openai/v1/video/generations/jobs/..%2F..%2Fx%3Fy%23z%2F%C3%A9?api-version=preview"
        );
    }

    #[test]
    fn videos_api_forms() {
        let on = |protocol, input: &str| Endpoint::parse_for(input, protocol).map(|e| e.as_str().to_owned());
        for input in [
            "https://r.openai.azure.com",
            "https://r.openai.azure.com/openai/v1/videos/video_1/content?variant=thumbnail",
        ] {
            assert_eq!(on(Protocol::AzureVideos, input).unwrap(), "https://r.openai.azure.com/openai/v1", "{input}");
        }
        for (input, base) in [
            ("https://gateway.example/v1/", "https://gateway.example/v1"),
            ("https://gateway.example/v1/videos/abc%2B==/content?variant=video", "https://gateway.example/v1"),
            ("https://gateway.example/llm/v1/videos?limit=2&order=asc", "https://gateway.example/llm/v1"),
            ("http://127.0.0.1:4000", "http://127.0.0.1:4000"),
            ("https://r.openai.azure.com/openai/v1", "https://r.openai.azure.com/openai/v1"),
        ] {
            assert_eq!(on(Protocol::OpenAiVideos, input).unwrap(), base, "{input}");
        }
        let refused =
            on(Protocol::AzureVideos, "https://r.openai.azure.com/openai/v1/video/generations/jobs").unwrap_err();
        assert!(refused.to_string().contains("connect to it as the Azure jobs API (azure-jobs)"), "{refused}");
        let refused = on(Protocol::AzureJobs, "https://r.openai.azure.com/openai/v1/videos/v1").unwrap_err();
        assert!(refused.to_string().contains("connect to it as Azure Sora 2 (azure-videos)"), "{refused}");
        let refused = on(Protocol::OpenAiVideos, "http://gateway.example/v1").unwrap_err().to_string();
        assert!(refused.contains("only for localhost"), "{refused}");
        let refused = on(Protocol::OpenAiVideos, "https://gateway.example/v1?code=secret").unwrap_err().to_string();
        assert!(refused.contains("\"code\""), "{refused}");
        let e = Endpoint::parse_for("https://gateway.example/v1", Protocol::OpenAiVideos).unwrap();
        assert_eq!(
            e.url(&["videos", "video_a+b/c==", "content"], None, &[("variant", "thumbnail")]),
            "https://gateway.example/v1/videos/video_a%2Bb%2Fc%3D%3D/content?variant=thumbnail"
        );
        assert_eq!(e.url(&["videos"], None, &[]), "https://gateway.example/v1/videos");
    }
}
