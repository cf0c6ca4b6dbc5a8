//! The platform in the browser: `URL`, `Date` and `encodeURIComponent`.

use js_sys::{Array, Date};
use wasm_bindgen::JsValue;

use super::Url;

pub fn parse_url(text: &str) -> Option<Url> {
    let url = web_sys::Url::new(text).ok()?;
    let query = url
        .search_params()
        .entries()
        .into_iter()
        .filter_map(|entry| {
            let pair = Array::from(&entry.ok()?);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    Some(Url {
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        host: url.hostname(),
        port: url.port().parse().ok(),
        path: url.pathname(),
        query,
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        // `hash` is empty for `#` alone; the serialisation keeps the `#` (and has none elsewhere).
        has_fragment: url.href().contains('#'),
    })
}

pub fn http_date_ms(value: &str) -> Option<u64> {
    let ms = Date::parse(value);
    // `Date.parse` also reads ISO dates, local times (asctime), other zones and impossible days
    // (31 Feb as 3 Mar): keep only an IMF-fixdate that `toUTCString` writes back exactly.
    if ms.is_nan() || ms < 0.0 {
        return None;
    }
    let canonical = String::from(Date::new(&JsValue::from_f64(ms)).to_utc_string());
    (canonical == value).then_some(ms as u64)
}

pub fn encode_component(value: &str) -> String {
    let encoded = String::from(js_sys::encode_uri_component(value));
    // `encodeURIComponent` leaves `!'()*` as they are; RFC 3986 reserves them.
    let mut out = String::with_capacity(encoded.len());
    for c in encoded.chars() {
        match c {
            '!' => out.push_str("%21"),
            '\'' => out.push_str("%27"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '*' => out.push_str("%2A"),
            c => out.push(c),
        }
    }
    out
}
