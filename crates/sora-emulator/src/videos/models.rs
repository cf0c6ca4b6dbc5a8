//! The Videos API's model table and how each API shape answers a model it does not know.

use axum::http::StatusCode;

use crate::errors::{ApiError, ApiResult};

/// Which host's shape a request came in: Azure's (`/openai/v1/videos`) or OpenAI's (`/v1/videos`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Azure,
    OpenAi,
}

/// What one model accepts.
#[derive(Debug, PartialEq, Eq)]
pub struct ModelRules {
    pub name: &'static str,
    /// `(width, height)`.
    pub sizes: &'static [(u32, u32)],
    pub seconds: &'static [u32],
}

/// The model a create without `model` uses.
pub const DEFAULT_MODEL: &str = "sora-2";
/// The length of a create without `seconds`.
pub const DEFAULT_SECONDS: u32 = 4;
/// The size of a create without `size` (every model has it).
pub const DEFAULT_SIZE: (u32, u32) = (720, 1280);

const SECONDS: [u32; 3] = [4, 8, 12];

/// `sora-2` and its dated snapshots.
pub const SORA_2: ModelRules = ModelRules { name: "sora-2", sizes: &[(720, 1280), (1280, 720)], seconds: &SECONDS };
/// `sora-2-pro` and its dated snapshots: adds the tall and wide sizes.
pub const SORA_2_PRO: ModelRules = ModelRules {
    name: "sora-2-pro",
    sizes: &[(720, 1280), (1280, 720), (1024, 1792), (1792, 1024)],
    seconds: &SECONDS,
};

const TABLE: [&ModelRules; 2] = [&SORA_2, &SORA_2_PRO];

impl ModelRules {
    /// The row of `model`: a name of the table or a dated snapshot of one (`sora-2-2025-10-06`).
    pub fn of(model: &str) -> Option<&'static ModelRules> {
        TABLE.into_iter().find(|rules| {
            model == rules.name
                || model.strip_prefix(rules.name).and_then(|rest| rest.strip_prefix('-')).is_some_and(is_date)
        })
    }

    /// `720x1280 or 1280x720`.
    pub fn size_list(&self) -> String {
        one_of(self.sizes.iter().map(|(w, h)| format!("{w}x{h}")).collect())
    }

    /// `4, 8 or 12`.
    pub fn seconds_list(&self) -> String {
        one_of(self.seconds.iter().map(u32::to_string).collect())
    }
}

/// The rules `model` follows on `shape`.
///
/// Azure knows the table's models and its deployments (`sora` and every `--deployment`; one the
/// table does not know follows sora-2's rules) and answers 404 `DeploymentNotFound` for any other
/// name, as the service does; OpenAI's shape knows only the table and answers 400 naming `model`.
pub fn rules(model: &str, shape: Shape, deployments: &[String]) -> ApiResult<&'static ModelRules> {
    if let Some(rules) = ModelRules::of(model) {
        return Ok(rules);
    }
    match shape {
        Shape::Azure if deployments.iter().any(|known| known == model) => Ok(&SORA_2),
        Shape::Azure => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "DeploymentNotFound",
            format!(
                "The API deployment '{model}' does not exist. If you created the deployment within \
                 the last 5 minutes, please wait a moment and try again."
            ),
        )),
        Shape::OpenAi => Err(ApiError::invalid(
            "model",
            "invalid_value",
            format!(
                "Invalid model '{model}': use sora-2 or sora-2-pro (or a dated snapshot such as sora-2-2025-10-06)."
            ),
        )),
    }
}

/// Whether `text` is a snapshot date, `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

/// Joins names as `a, b or c`.
fn one_of(names: Vec<String>) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_snapshots_and_deployments() {
        assert_eq!(ModelRules::of("sora-2-2025-12-08"), Some(&SORA_2));
        assert_eq!(ModelRules::of("sora-2-pro-2025-10-06"), Some(&SORA_2_PRO));
        assert_eq!(ModelRules::of("sora-2-pro-latest"), None);
        let deployments = ["sora".to_owned(), "my-sora".to_owned()];
        assert_eq!(rules("my-sora", Shape::Azure, &deployments).unwrap(), &SORA_2);
        let missing = rules("nope", Shape::Azure, &deployments).unwrap_err();
        assert_eq!((missing.status, missing.code.as_deref()), (StatusCode::NOT_FOUND, Some("DeploymentNotFound")));
        let refused = rules("my-sora", Shape::OpenAi, &deployments).unwrap_err();
        assert_eq!((refused.status, refused.param.as_deref()), (StatusCode::BAD_REQUEST, Some("model")));
        assert_eq!(SORA_2_PRO.size_list(), "720x1280, 1280x720, 1024x1792 or 1792x1024");
        assert_eq!(SORA_2.seconds_list(), "4, 8 or 12");
    }
}
