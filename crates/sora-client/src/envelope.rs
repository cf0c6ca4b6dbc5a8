//! The service's error bodies, in both envelopes: the spec's flat one and the wrapped
//! `{"error": {...}}` seen on the wire.

use crate::decode::{Decode, Node};

/// What an error body says, from whichever envelope carried it; members absent or not text are `None`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
    pub error_type: Option<String>,
    /// `inner_error.code`.
    pub inner_code: Option<String>,
    /// `inner_error.revised_prompt`.
    pub revised_prompt: Option<String>,
}

/// Read an error body; anything that is not a JSON object reads as empty.
pub(crate) fn read(body: &[u8]) -> ErrorBody {
    crate::json::decode::<ErrorBody>(body).unwrap_or_default()
}

/// Both envelopes at once: the wrapped `error` member wins over flat fields; a wrapped text is the message.
impl Decode for ErrorBody {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        let flat = fields(node)?;
        match node.get("error").filter(|e| !e.is_null()) {
            None => Ok(flat),
            Some(e) if e.is_object() => fields(&e),
            Some(e) => {
                let message = e.string().ok_or("`error`: expected an object or a string")?;
                Ok(Self { message: Some(message), ..flat })
            }
        }
    }
}

/// The members of one envelope's object.
fn fields<N: Node>(node: &N) -> Result<ErrorBody, String> {
    if !node.is_object() {
        return Err("expected an object".into());
    }
    let (inner_code, revised_prompt) = match node.get("inner_error").filter(|e| !e.is_null()) {
        None => (None, None),
        Some(e) if e.is_object() => (loose(&e, "code"), loose(&e, "revised_prompt")),
        Some(_) => return Err("`inner_error`: expected an object".into()),
    };
    Ok(ErrorBody {
        code: loose(node, "code"),
        message: loose(node, "message"),
        param: loose(node, "param"),
        error_type: loose(node, "type"),
        inner_code,
        revised_prompt,
    })
}

/// A string, number or boolean member as text; anything else (null, objects, arrays) as `None`.
fn loose<N: Node>(node: &N, key: &str) -> Option<String> {
    let value = node.get(key)?;
    if let Some(text) = value.string() {
        return Some(text);
    }
    if let Some(flag) = value.boolean() {
        return Some(flag.to_string());
    }
    // Codes are integers when numeric.
    let number = value.number()?;
    (number.fract() == 0.0 && number.abs() < 1e15).then(|| (number as i64).to_string())
}

#[cfg(test)]
mod tests {
    /// Every body of the shared table reads as the table says.
    #[test]
    fn error_bodies_read_as_the_table_says() {
        let table = include_str!("../tests/common/error_envelopes.tsv");
        let mut rows = 0;
        for line in table.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (body, expected) = line.split_once('\t').expect("two columns");
            assert_eq!(format!("{:?}", super::read(body.as_bytes())), expected, "{body}");
            rows += 1;
        }
        assert!(rows > 100, "{rows} rows");
    }
}
