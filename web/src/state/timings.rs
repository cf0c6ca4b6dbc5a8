//! What the client learned about how long jobs take, kept in localStorage across page loads.
//!
//! Six numbers for the last endpoint used (a different endpoint is another service: it starts
//! from the client's guess again).

use sora_client::DurationEstimator;
use sora_client::decode::{Decode, Node, read};

use crate::json::{Json, ToJson, from_text, to_text};
use crate::storage::{local_get, local_set};

const TIMINGS: &str = "sora-studio.timings";
/// The names of [`DurationEstimator::to_parts`]'s sums, in order.
const PARTS: [&str; 6] = ["n", "sx", "sy", "sxx", "sxy", "syy"];

/// The kept record: the endpoint and the estimator's sums.
struct Kept {
    endpoint: String,
    parts: [f64; 6],
}

impl ToJson for Kept {
    fn to_json(&self) -> Json<'_> {
        let mut members = vec![("endpoint", Json::Str(&self.endpoint))];
        members.extend(PARTS.iter().zip(self.parts).map(|(name, value)| (*name, Json::Num(value))));
        Json::Obj(members)
    }
}

impl Decode for Kept {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        read::object(node)?;
        let mut parts = [0.0; 6];
        for (part, name) in parts.iter_mut().zip(PARTS) {
            *part = read::number(node, name)?;
        }
        Ok(Self { endpoint: read::string(node, "endpoint")?, parts })
    }
}

/// The timings learned on `endpoint`, if this device kept any (and they are sane).
pub fn load_timings(endpoint: &str) -> Option<DurationEstimator> {
    let kept: Kept = from_text(&local_get(TIMINGS)?)?;
    (kept.endpoint == endpoint).then(|| DurationEstimator::from_parts(kept.parts)).flatten()
}

/// Keep the timings learned on `endpoint` (replacing those of any other endpoint).
pub fn save_timings(endpoint: &str, estimator: &DurationEstimator) {
    let kept = Kept { endpoint: endpoint.to_owned(), parts: estimator.to_parts() };
    local_set(TIMINGS, Some(&to_text(&kept)));
}
