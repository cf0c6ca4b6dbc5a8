//! URL building: `Endpoint::parse` on any text and, when it accepts, `Endpoint::url` on any segments,
//! api-version and query pairs.
//!
//! Invariants:
//! * an accepted endpoint is normalised (ends in `/openai/v1`, parsing it again gives it back), is a
//!   URL the WHATWG parser (what browsers use) reads with no user info, query or fragment, and uses
//!   plain `http://` only for a loopback host as that parser sees it; the api-version it kept from
//!   a pasted query is one the service documents;
//! * a built URL starts with the base, has exactly one `?` and no `#`, has one `/` per segment, and
//!   every segment, key and value is percent-encoded so that decoding gives back exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sora_client::{API_VERSIONS, Endpoint, Error};

/// The input, laid out so seeds can be written by hand: byte 0 picks a prefix, then lines
/// (`\n`-separated): the endpoint, the api-version, then segments, except lines starting with `?`,
/// which are query pairs `?key=value`.
struct Input {
    endpoint: String,
    /// Also try `endpoint` behind this prefix, to reach the accepting paths quickly.
    prefix: u8,
    segments: Vec<String>,
    api_version: String,
    query: Vec<(String, String)>,
}

impl Input {
    fn read(data: &[u8]) -> Option<Self> {
        let (&prefix, rest) = data.split_first()?;
        let mut lines = rest.split(|&b| b == b'\n').map(|l| String::from_utf8_lossy(l).into_owned());
        let endpoint = lines.next().unwrap_or_default();
        let api_version = lines.next().unwrap_or_default();
        let (mut segments, mut query) = (Vec::new(), Vec::new());
        for line in lines {
            match line.strip_prefix('?') {
                Some(pair) => {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    query.push((k.to_owned(), v.to_owned()));
                }
                None => segments.push(line),
            }
        }
        Some(Self { endpoint, prefix, segments, api_version, query })
    }
}

const PREFIXES: [&str; 6] = ["", "https://", "http://", "http://127.0.0.1", "http://localhost", "http://[::1]"];

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Decode a strictly encoded component: only unreserved bytes and `%XX` (upper-case hex).
fn decode(encoded: &str) -> Vec<u8> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = &encoded[i + 1..i + 3];
            assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)), "bad escape in {encoded}");
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            assert!(is_unreserved(bytes[i]), "raw {:?} in {encoded}", bytes[i] as char);
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn is_loopback(host: url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn check_endpoint(text: &str, input: &Input) {
    let endpoint = match Endpoint::parse(text) {
        Ok(endpoint) => endpoint,
        Err(Error::Validation { field: "endpoint", .. }) => return,
        Err(other) => panic!("unexpected error {other:?}"),
    };
    let base = endpoint.as_str();
    assert!(base.ends_with("/openai/v1"), "{base}");
    assert!(!base.contains(['?', '#']), "{base}");
    assert!(!endpoint.origin().contains('@'), "{base}");
    assert_eq!(
        Endpoint::parse(base).map(|e| e.as_str().to_owned()),
        Ok(base.to_owned()),
        "normalisation is not stable for {text:?}"
    );
    assert!(
        endpoint.api_version().is_none_or(|v| API_VERSIONS.contains(&v)),
        "{text:?} kept {:?}",
        endpoint.api_version()
    );
    assert!(base.starts_with(endpoint.origin()));

    match url::Url::parse(base) {
        Ok(parsed) => {
            assert!(parsed.username().is_empty() && parsed.password().is_none(), "{base}");
            let host = parsed.host().unwrap_or_else(|| panic!("{base} has no host"));
            match parsed.scheme() {
                "https" => {}
                "http" => assert!(is_loopback(host.clone()), "plain http accepted for {host} ({text:?})"),
                other => panic!("scheme {other} accepted ({text:?})"),
            }
            assert_eq!(parsed.query(), None);
            assert_eq!(parsed.fragment(), None);
        }
        // Host names the client cannot judge without an IDNA table (non-ASCII ones, which may map
        // to nothing or to forbidden characters, and `xn--` labels that are not valid punycode) or
        // numbers that look like an IPv4 address but are not one: the browser refuses to send
        // anything there, so no key can leak; the user sees a network error. Any other refusal of
        // an ASCII host is a finding.
        Err(_) if !endpoint.origin().is_ascii() => {}
        Err(url::ParseError::IdnaError | url::ParseError::InvalidIpv4Address) => {}
        Err(e) => panic!("accepted {text:?} as {base}, which a browser refuses: {e}"),
    }

    let segments: Vec<&str> = input.segments.iter().map(String::as_str).collect();
    let query: Vec<(&str, &str)> = input.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let url = endpoint.url(&segments, Some(&input.api_version), &query);
    let rest = url.strip_prefix(base).unwrap_or_else(|| panic!("{url} does not start with {base}"));
    assert_eq!(url.matches('?').count(), 1, "{url}");
    assert!(!url.contains('#'), "{url}");
    let (path, query_text) = rest.split_once('?').unwrap();
    if segments.is_empty() {
        assert!(path.is_empty(), "{url}");
    } else {
        let encoded: Vec<&str> = path.strip_prefix('/').expect("a segment starts with /").split('/').collect();
        assert_eq!(encoded.len(), segments.len(), "a segment leaked a '/': {url}");
        for (encoded, original) in encoded.iter().zip(&segments) {
            assert_eq!(decode(encoded), original.as_bytes(), "{url}");
        }
    }
    let pairs: Vec<&str> = query_text.split('&').collect();
    assert_eq!(pairs.len(), query.len() + 1, "a query value leaked a '&': {url}");
    let (name, value) = pairs[0].split_once('=').unwrap();
    assert_eq!((name, decode(value).as_slice()), ("api-version", input.api_version.as_bytes()));
    for (pair, (key, value)) in pairs[1..].iter().zip(&query) {
        let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("no '=' in {pair}"));
        assert_eq!(decode(k), key.as_bytes());
        assert_eq!(decode(v), value.as_bytes());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    check_endpoint(&input.endpoint, &input);
    let prefix = PREFIXES[usize::from(input.prefix) % PREFIXES.len()];
    if !prefix.is_empty() {
        check_endpoint(&format!("{prefix}{}", input.endpoint), &input);
    }
});
