//! What each model of the Videos API accepts, as data: one row per model.
//!
//! Sizes and durations from the Azure OpenAI and OpenAI references for Sora 2. A model this table
//! does not know (a gateway's Veo, an Azure deployment under its own name) gets no rule here: the
//! server's answer decides, and is shown as it comes.

/// The rules of one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelRules {
    /// The model's name; its dated snapshots (`sora-2-2025-10-06`) follow the same rules.
    pub model: &'static str,
    /// Output sizes as `(width, height)`, the default first.
    pub sizes: &'static [(u32, u32)],
    /// Durations in seconds, the default first.
    pub seconds: &'static [u32],
    /// The image types an `input_reference` may have.
    pub reference_types: &'static [&'static str],
    /// Whether an `input_reference` image must be exactly the video's size.
    pub reference_matches_size: bool,
}

const SORA_2_SIZES: [(u32, u32); 2] = [(720, 1280), (1280, 720)];
const SORA_2_PRO_SIZES: [(u32, u32); 4] = [(720, 1280), (1280, 720), (1024, 1792), (1792, 1024)];
const SECONDS: [u32; 3] = [4, 8, 12];
pub(crate) const REFERENCE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Every model the client knows the rules of.
pub const MODELS: [ModelRules; 2] = [
    ModelRules {
        model: "sora-2",
        sizes: &SORA_2_SIZES,
        seconds: &SECONDS,
        reference_types: &REFERENCE_TYPES,
        reference_matches_size: true,
    },
    ModelRules {
        model: "sora-2-pro",
        sizes: &SORA_2_PRO_SIZES,
        seconds: &SECONDS,
        reference_types: &REFERENCE_TYPES,
        reference_matches_size: true,
    },
];

impl ModelRules {
    /// The rules of `model` (a name of the table or one of its dated snapshots), if the table has them.
    pub fn of(model: &str) -> Option<&'static ModelRules> {
        MODELS.iter().find(|rules| {
            model == rules.model
                || model.strip_prefix(rules.model).and_then(|rest| rest.strip_prefix('-')).is_some_and(is_date)
        })
    }
}

/// Whether `text` is a snapshot date, `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_snapshots_find_their_rows() {
        assert_eq!(ModelRules::of("sora-2").map(|r| r.model), Some("sora-2"));
        assert_eq!(ModelRules::of("sora-2-2025-10-06").map(|r| r.model), Some("sora-2"));
        assert_eq!(ModelRules::of("sora-2-2025-12-08").map(|r| r.model), Some("sora-2"));
        assert_eq!(ModelRules::of("sora-2-pro").map(|r| r.model), Some("sora-2-pro"));
        assert_eq!(ModelRules::of("sora-2-pro-2025-10-06").map(|r| r.model), Some("sora-2-pro"));
    }

    #[test]
    fn other_models_have_no_rules() {
        for model in ["", "sora", "sora-2-mini", "sora-2-2025-1-06", "sora-2-pro-latest", "veo-3", "Sora-2", "sora-2 "]
        {
            assert_eq!(ModelRules::of(model), None, "{model}");
        }
    }

    #[test]
    fn pro_adds_the_tall_and_wide_sizes() {
        let basic = ModelRules::of("sora-2").unwrap();
        let pro = ModelRules::of("sora-2-pro").unwrap();
        assert_eq!(basic.sizes, &[(720, 1280), (1280, 720)]);
        assert!(basic.sizes.iter().all(|s| pro.sizes.contains(s)));
        assert!(pro.sizes.contains(&(1024, 1792)) && pro.sizes.contains(&(1792, 1024)));
        assert!(!basic.sizes.contains(&(1792, 1024)));
        assert_eq!(basic.seconds, &[4, 8, 12]);
    }
}
