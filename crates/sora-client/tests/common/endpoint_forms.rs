//! The table of pasted endpoints (`endpoint_forms.tsv`), checked by the native and the Chromium tests.

use sora_client::{Auth, Client, ClientOptions, DEFAULT_API_VERSION, Endpoint, Error, Transport};

/// A row's outcome: the normalised base and the api-version sent, or the refusal's field and message.
pub type Outcome = Result<(String, String), (String, String)>;

/// One row: what was pasted, the configured api version (`None`: left at the default), what must come of it.
pub struct Row {
    pub line: usize,
    pub pasted: String,
    pub configured: Option<String>,
    pub expected: Expected,
}

#[derive(Debug, PartialEq)]
pub enum Expected {
    /// The normalised base and the api-version sent.
    Resolved { base: String, api_version: String },
    /// An `Error::Validation` on `field` whose message contains `contains`.
    Refused { field: String, contains: String },
}

/// The rows of the shared table.
pub fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (index, line) in include_str!("endpoint_forms.tsv").lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let [pasted, configured, expected] = columns[..] else {
            panic!("line {}: not three tab-separated columns: {line:?}", index + 1)
        };
        let expected = match expected.strip_prefix("error ") {
            Some(error) => {
                let (field, contains) =
                    error.split_once(": ").unwrap_or_else(|| panic!("line {}: `error FIELD: TEXT`", index + 1));
                Expected::Refused { field: field.into(), contains: contains.into() }
            }
            None => {
                let (base, api_version) =
                    expected.split_once(' ').unwrap_or_else(|| panic!("line {}: `BASE VERSION`", index + 1));
                Expected::Resolved { base: base.into(), api_version: api_version.into() }
            }
        };
        let pasted = pasted.replace("\\n", "\n").replace("\\t", "\t");
        let configured = (configured != "-").then(|| configured.to_owned());
        rows.push(Row { line: index + 1, pasted, configured, expected });
    }
    rows
}

/// Run every row through `resolve` (pasted text, configured version → base and version, or the
/// refusal's field and message); panics listing every row that came out otherwise.
pub fn check(resolve: impl Fn(&str, Option<&str>) -> Outcome) {
    let rows = rows();
    assert!(rows.len() >= 40, "the table has only {} rows", rows.len());
    let mut wrong = Vec::new();
    for row in &rows {
        let got = resolve(&row.pasted, row.configured.as_deref());
        let ok = match (&row.expected, &got) {
            (Expected::Resolved { base, api_version }, Ok((got_base, got_version))) => {
                base == got_base && api_version == got_version
            }
            (Expected::Refused { field, contains }, Err((got_field, message))) => {
                field == got_field && message.contains(contains.as_str())
            }
            _ => false,
        };
        if !ok {
            wrong.push(format!(
                "line {}: {:?} with {:?}: expected {:?}, got {got:?}",
                row.line, row.pasted, row.configured, row.expected
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} pasted endpoints came out wrong:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

/// A row through a client built over `transport`, as applications build one.
pub fn through_client<T: Transport>(pasted: &str, configured: Option<&str>, transport: T) -> Outcome {
    let mut options = ClientOptions::default();
    if let Some(version) = configured {
        options.api_version = version.to_owned();
    }
    match Client::with_options(pasted, Auth::ApiKey("k".into()), options, transport) {
        Ok(client) => Ok((client.endpoint().as_str().to_owned(), client.api_version().to_owned())),
        Err(error) => Err(refusal(error)),
    }
}

/// A row through [`Endpoint::parse`] and [`Endpoint::api_version_with`], as the studio shows it before connecting.
pub fn through_endpoint(pasted: &str, configured: Option<&str>) -> Outcome {
    let endpoint = Endpoint::parse(pasted).map_err(refusal)?;
    let version = endpoint.api_version_with(configured.unwrap_or(DEFAULT_API_VERSION)).map_err(refusal)?;
    // The normalised base reads back as itself.
    assert_eq!(
        Endpoint::parse(endpoint.as_str()).map(|e| e.as_str().to_owned()),
        Ok(endpoint.as_str().to_owned()),
        "{pasted:?}"
    );
    Ok((endpoint.as_str().to_owned(), version.to_owned()))
}

fn refusal(error: Error) -> (String, String) {
    match error {
        Error::Validation { field, message } => (field.to_owned(), message),
        other => ("(not a validation error)".into(), other.to_string()),
    }
}
