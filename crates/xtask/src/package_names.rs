//! Short import and export names for the packaged wasm module and its JS glue.
//!
//! wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and some exports after their
//! full Rust paths: kilobytes that gzip cannot squeeze, once in the module and once in the glue.
//! This renames them all (but `memory`, which `InitOutput` publishes) to one or two letters, in
//! the module's import and export sections and in every identifier of the glue that spells one.

use std::collections::{HashMap, HashSet};

/// Rename the module's imports and exports, avoiding the names in `taken` (the glue's own
/// identifiers); returns the module and the old → new names.
pub fn shorten(module: &[u8], taken: &HashSet<String>) -> Result<(Vec<u8>, HashMap<String, String>), String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut names = HashMap::new();
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let id = module[at];
        let (size, len) = leb(module, at + 1)?;
        let start = at + 1 + len;
        let body = module.get(start..start + size as usize).ok_or("truncated section")?;
        let new_body = match id {
            2 => rewrite(body, &mut names, taken, true)?,
            7 => rewrite(body, &mut names, taken, false)?,
            _ => body.to_vec(),
        };
        out.push(id);
        write_leb(&mut out, new_body.len() as u64);
        out.extend_from_slice(&new_body);
        at = start + size as usize;
    }
    Ok((out, names))
}

/// Replace each identifier of the glue that is a renamed wasm name.
///
/// # Errors
/// When a short name is already an identifier of the glue (the glue declares functions named
/// like some exports, so a clash could shadow one).
pub fn apply(js: &str, names: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(start) = rest.find(is_ident_start) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find(|c: char| !is_ident(c)).unwrap_or(after.len());
        let word = &after[..end];
        if names.values().any(|short| short == word) {
            return Err(format!("the glue already uses the identifier `{word}`"));
        }
        out.push_str(names.get(word).map_or(word, String::as_str));
        rest = &after[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Every identifier-like word of the glue (property names included).
pub fn identifiers(js: &str) -> HashSet<String> {
    js.split(|c: char| !is_ident(c)).filter(|w| w.starts_with(is_ident_start)).map(str::to_owned).collect()
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The `n`th short name: `a`..`z`, `A`..`Z`, then two letters.
fn short(n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    let mut n = n;
    loop {
        name.push(LETTERS[n % LETTERS.len()] as char);
        if n < LETTERS.len() {
            return name;
        }
        n = n / LETTERS.len() - 1;
    }
}

/// Rewrite an import (`imports`) or export section, renaming its field names.
fn rewrite(
    body: &[u8],
    names: &mut HashMap<String, String>,
    taken: &HashSet<String>,
    imports: bool,
) -> Result<Vec<u8>, String> {
    let (count, mut at) = leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    for _ in 0..count {
        if imports {
            let (module, next) = name(body, at)?;
            write_name(&mut out, &module);
            at = next;
        }
        let (field, next) = name(body, at)?;
        at = next;
        let renamed = if field == "memory" {
            field
        } else if let Some(known) = names.get(&field) {
            known.clone()
        } else {
            let fresh = (names.len()..)
                .map(short)
                .find(|n| !taken.contains(n) && n != "memory" && !names.values().any(|v| v == n))
                .ok_or("no name left")?;
            names.insert(field, fresh.clone());
            fresh
        };
        write_name(&mut out, &renamed);
        let descriptor = at;
        at = skip_descriptor(body, at, imports)?;
        out.extend_from_slice(&body[descriptor..at]);
    }
    if at != body.len() {
        return Err("unexpected bytes after the import or export entries".into());
    }
    Ok(out)
}

/// The end of an import or export descriptor starting at `at`.
fn skip_descriptor(body: &[u8], at: usize, import: bool) -> Result<usize, String> {
    let kind = *body.get(at).ok_or("truncated descriptor")?;
    let at = at + 1;
    if !import {
        return Ok(at + leb(body, at)?.1);
    }
    let limits = |at: usize| -> Result<usize, String> {
        let flags = *body.get(at).ok_or("truncated limits")?;
        let (_, a) = leb(body, at + 1)?;
        Ok(if flags & 1 == 1 { at + 1 + a + leb(body, at + 1 + a)?.1 } else { at + 1 + a })
    };
    match kind {
        0 => Ok(at + leb(body, at)?.1),
        1 => limits(at + 1),
        2 => limits(at),
        3 => Ok(at + 2),
        4 => Ok(at + 1 + leb(body, at + 1)?.1),
        other => Err(format!("unknown import kind {other}")),
    }
}

fn name(body: &[u8], at: usize) -> Result<(String, usize), String> {
    let (len, n) = leb(body, at)?;
    let start = at + n;
    let bytes = body.get(start..start + len as usize).ok_or("truncated name")?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| "name is not UTF-8")?;
    Ok((text, start + len as usize))
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

/// An unsigned LEB128 at `at`: the value and its length in bytes.
fn leb(bytes: &[u8], at: usize) -> Result<(u64, usize), String> {
    let mut value = 0u64;
    for i in 0..10 {
        let byte = *bytes.get(at + i).ok_or("truncated number")?;
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err("number too long".into())
}

fn write_leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_distinct() {
        let names: std::collections::HashSet<String> = (0..3000).map(short).collect();
        assert_eq!(names.len(), 3000);
        assert_eq!((short(0), short(51), short(52)), ("a".into(), "Z".into(), "aa".into()));
    }

    #[test]
    fn glue_identifiers_are_replaced_whole() {
        let names = HashMap::from([("__wbg_x_1".to_owned(), "a".to_owned())]);
        assert_eq!(apply("w.__wbg_x_1(__wbg_x_12,'__wbg_x_1')", &names).unwrap(), "w.a(__wbg_x_12,'a')");
        assert!(apply("let a = w.__wbg_x_1;", &names).is_err());
    }
}
