//! Serde helpers for fields the service (or its documentation) sends in more than one shape.

use serde::{Deserialize, Deserializer, de};

/// Deserialize `null` as the type's default value.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Deserialize a non-negative integer sent as a number or as a decimal string (`"5"`), `null` as 0.
pub(crate) fn u32_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    struct U32Visitor;

    impl de::Visitor<'_> for U32Visitor {
        type Value = u32;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a non-negative integer or a string holding one")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom("integer out of range"))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom("integer out of range"))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
            // JSON.parse hands every number over as f64 on wasm.
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                Ok(v as u32)
            } else {
                Err(E::custom("expected a whole non-negative number"))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<u32, E> {
            v.trim().parse().map_err(|_| E::custom("expected an integer in the string"))
        }

        fn visit_unit<E: de::Error>(self) -> Result<u32, E> {
            Ok(0)
        }

        fn visit_none<E: de::Error>(self) -> Result<u32, E> {
            Ok(0)
        }
    }

    deserializer.deserialize_any(U32Visitor)
}
