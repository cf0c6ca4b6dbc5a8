//! Endpoint normalisation and URL building.

use crate::error::Error;

mod pasted;

/// A validated service base URL, always ending in `/openai/v1` with no trailing slash, and the
/// `api-version` its text carried, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    api_version: Option<&'static str>,
}

impl Endpoint {
    /// Normalise an endpoint as people paste it: the resource URL (`https://my-resource.openai.azure.com`),
    /// or that with `/openai`, `/openai/v1`, or any URL of the video generations API under it (the
    /// portal's target URL `…/openai/v1/video/generations/jobs?api-version=preview`, a job's, a
    /// generation's or its content's URL).
    ///
    /// Keeps the path before `/openai` (a gateway's prefix) and adds `/openai/v1` once; drops
    /// trailing slashes, surrounding white space and the API's own query parameters (`quality`,
    /// `limit`, …); keeps `api-version` (see [`Endpoint::api_version`]). Requires `https` except for
    /// loopback hosts, so a key never crosses a network in clear.
    ///
    /// # Errors
    /// [`Error::Validation`] on field `endpoint` when the text is not an http(s) URL, has a fragment,
    /// credentials, an `api-version` other than `preview` or `v1`, a query parameter the API does not
    /// define, a path under `/openai` that is not the video generations API, or uses `http` for a
    /// host other than loopback.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |message: &str| Error::Validation { field: "endpoint", message: message.to_owned() };
        let text = input.trim();
        let (scheme, rest) = split_around(text, "://")
            .ok_or_else(|| invalid("must be a URL such as https://my-resource.openai.azure.com"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(invalid("must start with https://"));
        }
        if rest.contains('#') {
            return Err(invalid("must not contain a fragment (#)"));
        }
        let (rest, query) = match rest.find('?') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(invalid("must not contain user credentials; use the key or token fields"));
        }
        let (host, port) = split_authority(authority).ok_or_else(|| invalid("has no host name"))?;
        if !host_is_valid(host) {
            return Err(invalid("has an invalid host name"));
        }
        if !port_is_valid(port) {
            return Err(invalid("has an invalid port (it must be a number up to 65535)"));
        }
        if scheme == "http" && !is_loopback(host) {
            return Err(invalid("must use https:// (plain http is allowed only for localhost)"));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("must not contain spaces"));
        }
        let api_version =
            pasted::api_version(query).map_err(|message| Error::Validation { field: "endpoint", message })?;
        let path = pasted::base_path(path).map_err(invalid)?;
        Ok(Self { base: [scheme.as_str(), "://", &authority.to_ascii_lowercase(), &path].concat(), api_version })
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

    /// The base URL, ending in `/openai/v1`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The origin (`scheme://host[:port]`), the only place credentials may be sent.
    pub fn origin(&self) -> &str {
        let after_scheme = split_around(&self.base, "://").map_or(0, |(scheme, _)| scheme.len() + 3);
        let end = self.base[after_scheme..].find('/').map_or(self.base.len(), |i| after_scheme + i);
        &self.base[..end]
    }

    /// Build `base + path segments + ?api-version=...&query`, percent-encoding every segment and value.
    pub fn url(&self, segments: &[&str], api_version: &str, query: &[(&str, &str)]) -> String {
        let mut url = self.base.clone();
        for segment in segments {
            url.push('/');
            push_encoded(&mut url, segment);
        }
        url.push_str("?api-version=");
        push_encoded(&mut url, api_version);
        for (key, value) in query {
            url.push('&');
            push_encoded(&mut url, key);
            url.push('=');
            push_encoded(&mut url, value);
        }
        url
    }
}

/// Split `host[:port]` (or `[v6][:port]`) into the host and what follows it (`""` or `:port`).
fn split_authority(authority: &str) -> Option<(&str, &str)> {
    let host_end = if authority.starts_with('[') {
        authority.find(']')? + 1
    } else {
        authority.rfind(':').unwrap_or(authority.len())
    };
    let (host, port) = authority.split_at(host_end);
    (!host.is_empty()).then_some((host, port))
}

fn host_is_valid(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']').is_some_and(is_ipv6);
    }
    host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || !c.is_ascii())
}

/// Whether `text` is an IPv6 address in the text form `std::net::Ipv6Addr` parses (RFC 4291: eight
/// groups of 1–4 hex digits, one `::` standing for at least one zero group, an IPv4 tail).
///
/// By hand: `Ipv6Addr`'s parser is core's whole address parser, kilobytes of the wasm module.
fn is_ipv6(text: &str) -> bool {
    // Groups in `part` (`ipv4_tail`: its last piece may be a dotted IPv4 address, two groups).
    let groups = |part: &str, ipv4_tail: bool| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let pieces: Vec<&str> = part.split(':').collect();
        let mut count = 0;
        for (i, piece) in pieces.iter().enumerate() {
            if ipv4_tail && i + 1 == pieces.len() && piece.contains('.') {
                let octets: Vec<&str> = piece.split('.').collect();
                let octet = |o: &&str| {
                    (1..=3).contains(&o.len()) && (o.len() == 1 || !o.starts_with('0')) && o.parse::<u8>().is_ok()
                };
                (octets.len() == 4 && octets.iter().all(octet)).then_some(())?;
                count += 2;
            } else if (1..=4).contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_hexdigit()) {
                count += 1;
            } else {
                return None;
            }
        }
        Some(count)
    };
    match split_around(text, "::") {
        None => groups(text, true) == Some(8),
        Some((head, tail)) => matches!((groups(head, false), groups(tail, true)), (Some(h), Some(t)) if h + t <= 7),
    }
}

/// `text` around the first `needle`: a plain byte search, because std's substring search (two-way)
/// costs about a kilobyte of wasm and these needles are two or three ASCII bytes.
fn split_around<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = text.as_bytes().windows(needle.len()).position(|window| window == needle.as_bytes())?;
    // `needle` is ASCII, so `at` and `at + needle.len()` are character boundaries.
    Some((&text[..at], &text[at + needle.len()..]))
}

/// Nothing, or `:` and an optional decimal port (what browsers accept), so that nothing but a port
/// can follow the host: `http://[::1]evil` or `http://localhost:80x` are refused.
fn port_is_valid(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some("") => true,
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok(),
    }
}

/// Whether a host is this machine: `localhost`, `127.0.0.0/8` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        })
}

/// Percent-encode everything but RFC 3986 unreserved characters, so an id can never leave its segment.
fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
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
        assert!(err("https://").contains("no host"));
        assert!(err("https://bad host/").contains("invalid host"));
        assert!(err("http://[::1]evil.com").contains("invalid port"));
        assert!(err("http://[::1]8787").contains("invalid port"));
        assert!(err("http://localhost:80x").contains("invalid port"));
        assert!(err("http://localhost:65536").contains("invalid port"));
        assert!(err("http://[::1").contains("no host"));
        assert!(err("http://[]:80").contains("invalid host"));
        assert!(err("http://[:::1]").contains("invalid host"));
        assert!(err("").contains("must be a URL"));
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
            e.url(&["video", "generations", "jobs"], "preview", &[("limit", "10"), ("statuses", "queued,running")]),
            "http://localhost:1/openai/v1/video/generations/jobs?api-version=preview&limit=10&statuses=queued%2Crunning"
        );
        let hostile = e.url(&["video", "generations", "jobs", "../../x?y#z/é"], "preview", &[]);
        assert_eq!(
            hostile,
            "http://localhost:1/openai/v1/video/generations/jobs/..%2F..%2Fx%3Fy%23z%2F%C3%A9?api-version=preview"
        );
    }

    #[test]
    fn ipv6_hosts_are_checked_as_std_parses_them() {
        let inputs = [
            "::",
            "::1",
            "1::",
            "1::2",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "fe80::1",
            "FE80::A:b",
            "::ffff:127.0.0.1",
            "1:2:3:4:5:6:1.2.3.4",
            "::1.2.3.4",
            "64:ff9b::192.0.2.33",
            "",
            ":",
            ":::",
            "1:::2",
            "1::2::3",
            ":1::2",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8::",
            "12345::",
            "g::1",
            "::1.2.3",
            "::1.2.3.4.5",
            "::256.1.1.1",
            "::01.2.3.4",
            "1.2.3.4::",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1%eth0",
            " ::1",
            "::+1",
        ];
        for input in inputs {
            assert_eq!(super::is_ipv6(input), input.parse::<std::net::Ipv6Addr>().is_ok(), "{input:?}");
        }
    }

    #[test]
    fn split_around_matches_str_split_once() {
        for (text, needle) in
            [("https://a", "://"), ("a://b://c", "://"), (":/", "://"), ("", "::"), ("1::2::3", "::"), ("é::é", "::")]
        {
            assert_eq!(split_around(text, needle), text.split_once(needle), "{text:?}");
        }
    }
}
