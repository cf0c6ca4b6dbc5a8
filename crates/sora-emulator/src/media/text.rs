//! Prints text into RGB frames with the public-domain 8x8 bitmap font of the `font8x8` crate.

use font8x8::{BASIC_FONTS, GREEK_FONTS, LATIN_FONTS, UnicodeFonts};

/// Side of one glyph cell, in font pixels.
pub(crate) const GLYPH: usize = 8;

/// A mutable view of an RGB frame, clipping every write to its bounds.
pub(crate) struct Canvas<'a> {
    pub rgb: &'a mut [u8],
    pub width: usize,
    pub height: usize,
}

impl Canvas<'_> {
    /// Fills the rectangle `[x0, x1) x [y0, y1)` (clipped) with `color`.
    pub fn fill_rect(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, color: [u8; 3]) {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        for y in y0..y1 {
            let row = (y * self.width + x0) * 3..(y * self.width + x1) * 3;
            if let Some(px) = self.rgb.get_mut(row) {
                for p in px.chunks_exact_mut(3) {
                    p.copy_from_slice(&color);
                }
            }
        }
    }

    /// Draws `text` with its top-left corner at `(x, y)`, each font pixel `scale` x `scale` pixels.
    pub fn draw_text(&mut self, text: &str, x: usize, y: usize, scale: usize, color: [u8; 3]) {
        let cell = GLYPH * scale;
        for (i, ch) in text.chars().enumerate() {
            let gx = x + i * cell;
            if gx >= self.width {
                break;
            }
            let rows = glyph(ch);
            for (r, bits) in rows.iter().enumerate() {
                for c in 0..GLYPH {
                    // font8x8 stores the leftmost pixel in the least significant bit.
                    if bits >> c & 1 == 1 {
                        let px = gx + c * scale;
                        let py = y + r * scale;
                        self.fill_rect(px, py, px + scale, py + scale, color);
                    }
                }
            }
        }
    }
}

/// Returns the 8 row bitmaps of `ch`, or of `?` when the font lacks it.
fn glyph(ch: char) -> [u8; 8] {
    let ch = if ch.is_whitespace() { ' ' } else { ch };
    BASIC_FONTS
        .get(ch)
        .or_else(|| LATIN_FONTS.get(ch))
        .or_else(|| GREEK_FONTS.get(ch))
        .or_else(|| BASIC_FONTS.get('?'))
        .unwrap_or([0; 8])
}

/// Word-wraps `text` into at most `max_lines` lines of at most `cols` characters, with `...` if cut.
pub(crate) fn wrap(text: &str, cols: usize, max_lines: usize) -> Vec<String> {
    if cols == 0 || max_lines == 0 {
        return Vec::new();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut truncated = false;
    'words: for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while !word.is_empty() {
            let line_len = line.chars().count();
            let sep = usize::from(line_len > 0);
            if line_len + sep + word.len() <= cols {
                if sep == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if line_len > 0 {
                lines.push(std::mem::take(&mut line));
            } else {
                // A word longer than a whole line is hard-broken.
                line.extend(word.drain(..cols));
                lines.push(std::mem::take(&mut line));
            }
            if lines.len() == max_lines {
                truncated = true;
                break 'words;
            }
        }
    }
    if !line.is_empty() {
        if lines.len() < max_lines {
            lines.push(line);
        } else {
            truncated = true;
        }
    }
    if truncated && let Some(last) = lines.last_mut() {
        let keep = cols.saturating_sub(3);
        let mut cut: String = last.chars().take(keep).collect();
        cut.push_str("...");
        *last = cut.chars().take(cols).collect();
    }
    lines
}
