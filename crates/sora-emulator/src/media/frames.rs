//! Draws the synthetic RGB frames of a video: everything is seeded by the prompt and the variant.

use std::f32::consts::TAU;

use super::image_in::cover_resize;
use super::text::{self, Canvas, GLYPH};
use super::{MediaError, VideoSpec};

/// Deterministic SplitMix64 generator: the same spec draws the same pictures on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a float uniformly distributed in `[lo, hi)`.
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * unit
    }

    /// Returns an integer in `[0, n)`.
    fn below(&mut self, n: u32) -> u32 {
        (self.next_u64() % u64::from(n.max(1))) as u32
    }
}

/// Hashes bytes with 64-bit FNV-1a (stable, unlike std's hasher, which may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01B3))
}

/// Converts hue (degrees), saturation and value (0..=1) to RGB.
fn hsv(h: f32, s: f32, v: f32) -> [u8; 3] {
    let h = h.rem_euclid(360.0) / 60.0;
    let c = v * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let to8 = |f: f32| ((f + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [to8(r), to8(g), to8(b)]
}

/// Mixes `a` and `b` with weight `t` (0 = a, 256 = b).
fn mix(a: [u8; 3], b: [u8; 3], t: u32) -> [u8; 3] {
    let t = t.min(256);
    let m = |x: u8, y: u8| ((u32::from(x) * (256 - t) + u32::from(y) * t) >> 8) as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// A disc drifting along a Lissajous curve.
struct Orb {
    center: (f32, f32),
    amplitude: (f32, f32),
    freq: (f32, f32),
    phase: (f32, f32),
    radius: f32,
    color: [u8; 3],
}

/// A ridge of sine-sum hills scrolling sideways.
struct Hills {
    /// Mean ridge height as a fraction of the picture area's height, from its top.
    level: f32,
    waves: [(f32, f32, f32); 3],
    /// Scroll speed in picture widths per second.
    speed: f32,
    color: [u8; 3],
}

/// The pre-scaled uploaded image and when it is on screen.
struct Opening {
    rgb: Vec<u8>,
    start: u32,
    hold: u32,
    fade: u32,
}

/// Everything needed to draw any frame of one video.
pub(crate) struct Scene {
    width: usize,
    height: usize,
    fps: u32,
    total_frames: u32,
    /// Static backdrop, bands and prompt text; each frame starts as a copy of it.
    base: Vec<u8>,
    /// Rows `[top, bottom)` hold the animation; the bands outside hold text.
    top: usize,
    bottom: usize,
    scale: usize,
    accent: [u8; 3],
    orbs: Vec<Orb>,
    hills: [Hills; 2],
    opening: Option<Opening>,
}

impl Scene {
    /// Seeds and lays out the scene for `spec` (dimensions already validated).
    pub fn new(spec: &VideoSpec, fps: u32, total_frames: u32) -> Result<Self, MediaError> {
        let (width, height) = (spec.width as usize, spec.height as usize);
        // The prompt picks the look; the variant shifts hue and re-rolls layout and motion.
        let prompt_seed = fnv1a(spec.prompt.as_bytes());
        let mut look = Rng(prompt_seed);
        let mut rng = Rng(prompt_seed ^ u64::from(spec.variant).wrapping_mul(0xA24B_AED4_963E_E407));

        let hue = look.range(0.0, 360.0) + spec.variant as f32 * 67.0;
        let spread = look.range(60.0, 200.0);
        let sky_top = hsv(hue, look.range(0.5, 0.9), look.range(0.25, 0.5));
        let sky_low = hsv(hue + spread * 0.5, look.range(0.3, 0.7), look.range(0.7, 0.95));
        let accent = hsv(hue + spread, 0.85, 1.0);
        let band = hsv(hue, 0.6, 0.12);
        let style = look.below(4) ^ rng.below(4);

        let scale = (width.min(height) / 240).max(1);
        let cell = GLYPH * scale;
        let pad = 2 * scale;
        let top = cell + 3 * pad;
        let cols = width.saturating_sub(2 * pad) / cell;
        // A caption (a remix's source) takes up to two lines above the prompt's three.
        let caption = spec.caption.as_deref().map_or_else(Vec::new, |caption| text::wrap(caption, cols, 2));
        let lines = text::wrap(&spec.prompt, cols, 3);
        let rows = caption.len() + lines.len().max(1);
        let bottom = height.saturating_sub(rows * (cell + pad) + 2 * pad);
        if bottom <= top + 16 {
            return Err(MediaError(format!("video size {width}x{height} is too small to draw")));
        }

        let mut base = backdrop(width, height, sky_top, sky_low, style, &mut rng);
        {
            let mut canvas = Canvas { rgb: &mut base, width, height };
            canvas.fill_rect(0, 0, width, top, band);
            canvas.fill_rect(0, bottom, width, height, band);
            let label = format!("#{}", spec.variant.saturating_add(1));
            let label_x = width.saturating_sub(pad + label.len() * cell);
            canvas.draw_text(&label, label_x, pad, scale, accent);
            for (i, line) in caption.iter().enumerate() {
                canvas.draw_text(line, pad, bottom + pad + i * (cell + pad), scale, accent);
            }
            for (i, line) in lines.iter().enumerate() {
                let row = caption.len() + i;
                canvas.draw_text(line, pad, bottom + pad + row * (cell + pad), scale, [240, 240, 240]);
            }
        }

        let area_h = (bottom - top) as f32;
        let min_side = width.min(bottom - top) as f32;
        let orbs = (0..3 + rng.below(5))
            .map(|_| {
                let radius = min_side * rng.range(0.05, 0.14);
                let (cx, cy) = (width as f32 * rng.range(0.3, 0.7), top as f32 + area_h * rng.range(0.3, 0.6));
                Orb {
                    center: (cx, cy),
                    amplitude: (width as f32 * rng.range(0.1, 0.3), area_h * rng.range(0.05, 0.3)),
                    freq: (rng.range(0.05, 0.3), rng.range(0.05, 0.3)),
                    phase: (rng.range(0.0, TAU), rng.range(0.0, TAU)),
                    radius,
                    color: hsv(hue + rng.range(-60.0, 60.0) + 180.0, rng.range(0.5, 1.0), rng.range(0.7, 1.0)),
                }
            })
            .collect();
        let mut hill = |level: f32, speed: f32, value: f32| Hills {
            level,
            waves: [
                (area_h * rng.range(0.03, 0.08), rng.range(1.0, 3.0), rng.range(0.0, TAU)),
                (area_h * rng.range(0.01, 0.04), rng.range(3.0, 7.0), rng.range(0.0, TAU)),
                (area_h * rng.range(0.005, 0.02), rng.range(7.0, 15.0), rng.range(0.0, TAU)),
            ],
            speed,
            color: hsv(hue + spread * 0.25, 0.55, value),
        };
        let hills = [hill(0.7, 0.02, 0.45), hill(0.85, 0.05, 0.25)];

        let opening = match &spec.opening_image {
            Some(img) => {
                let rgb = cover_resize(img, width, height)?;
                let last = total_frames.saturating_sub(1);
                Some(Opening { rgb, start: img.frame_index.min(last), hold: (fps / 2).max(1), fade: fps.max(1) })
            }
            None => None,
        };

        Ok(Self {
            width,
            height,
            fps: fps.max(1),
            total_frames: total_frames.max(1),
            base,
            top,
            bottom,
            scale,
            accent,
            orbs,
            hills,
            opening,
        })
    }

    /// Bytes in one RGB frame.
    pub fn rgb_len(&self) -> usize {
        self.width * self.height * 3
    }

    /// Number of frames in the video.
    pub fn frame_count(&self) -> u32 {
        self.total_frames
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    /// Draws frame `index` into `out` (`rgb_len()` bytes).
    pub fn render(&self, index: u32, out: &mut [u8]) {
        if out.len() != self.base.len() {
            return;
        }
        out.copy_from_slice(&self.base);
        let t = index as f32 / self.fps as f32;
        let mut canvas = Canvas { rgb: out, width: self.width, height: self.height };
        for hills in &self.hills {
            self.draw_hills(&mut canvas, hills, t);
        }
        for orb in &self.orbs {
            self.draw_orb(&mut canvas, orb, t);
        }

        let pad = 2 * self.scale;
        let clock = format!("{:05.2}s", t);
        canvas.draw_text(&clock, pad, pad, self.scale, [255, 255, 255]);
        let bar_y = self.top - pad;
        let done = self.width * (index as usize + 1) / self.total_frames as usize;
        canvas.fill_rect(0, bar_y, done.min(self.width), self.top, self.accent);

        if let Some(opening) = &self.opening {
            blend_opening(out, opening, index);
        }
    }

    /// Fills the columns under a scrolling ridge, clipped to the animation area.
    fn draw_hills(&self, canvas: &mut Canvas<'_>, hills: &Hills, t: f32) {
        let area_h = (self.bottom - self.top) as f32;
        let base_y = self.top as f32 + area_h * hills.level;
        let shift = hills.speed * t;
        for x in 0..self.width {
            let u = x as f32 / self.width as f32 + shift;
            let y: f32 = base_y + hills.waves.iter().map(|(a, f, p)| a * (TAU * f * u + p).sin()).sum::<f32>();
            let y0 = (y.max(self.top as f32) as usize).min(self.bottom);
            for row in y0..self.bottom {
                let i = (row * self.width + x) * 3;
                if let Some(p) = canvas.rgb.get_mut(i..i + 3) {
                    p.copy_from_slice(&hills.color);
                }
            }
        }
    }

    /// Draws an anti-aliased disc at its position for time `t`, clipped to the animation area.
    fn draw_orb(&self, canvas: &mut Canvas<'_>, orb: &Orb, t: f32) {
        let cx = orb.center.0 + orb.amplitude.0 * (TAU * orb.freq.0 * t + orb.phase.0).sin();
        let cy = orb.center.1 + orb.amplitude.1 * (TAU * orb.freq.1 * t + orb.phase.1).sin();
        let r = orb.radius;
        let x0 = (cx - r - 1.0).max(0.0) as usize;
        let x1 = ((cx + r + 2.0).max(0.0) as usize).min(self.width);
        let y0 = ((cy - r - 1.0).max(self.top as f32) as usize).min(self.bottom);
        let y1 = ((cy + r + 2.0).max(0.0) as usize).clamp(y0, self.bottom);
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - cy;
            for x in x0..x1 {
                let dx = x as f32 + 0.5 - cx;
                let coverage = (r - (dx * dx + dy * dy).sqrt() + 0.5).clamp(0.0, 1.0);
                if coverage <= 0.0 {
                    continue;
                }
                let i = (y * self.width + x) * 3;
                if let Some(p) = canvas.rgb.get_mut(i..i + 3) {
                    let c = mix([p[0], p[1], p[2]], orb.color, (coverage * 256.0) as u32);
                    p.copy_from_slice(&c);
                }
            }
        }
    }
}

/// Paints the static backdrop: one of four gradient styles between two sky colours.
fn backdrop(width: usize, height: usize, c0: [u8; 3], c1: [u8; 3], style: u32, rng: &mut Rng) -> Vec<u8> {
    let mut rgb = vec![0u8; width * height * 3];
    let (fx, fy) = (rng.range(0.2, 0.8), rng.range(0.2, 0.8));
    let stripes = rng.range(6.0, 18.0);
    let (w, h) = (width as f32, height as f32);
    for (y, row) in rgb.chunks_exact_mut(width * 3).enumerate() {
        let v = y as f32 / h;
        for (x, p) in row.chunks_exact_mut(3).enumerate() {
            let u = x as f32 / w;
            let t = match style {
                0 => v,
                1 => (u + v) * 0.5,
                2 => (((u - fx) * w).hypot((v - fy) * h) / w.max(h) * 1.6).min(1.0),
                _ => v * 0.8 + 0.1 * (1.0 + (TAU * stripes * (u * 0.7 + v * 0.3)).sin()) * 0.5,
            };
            p.copy_from_slice(&mix(c0, c1, (t.clamp(0.0, 1.0) * 256.0) as u32));
        }
    }
    rgb
}

/// Cross-fades the uploaded image in over the second before its frame, holds it, then fades out.
fn blend_opening(out: &mut [u8], opening: &Opening, index: u32) {
    if opening.rgb.len() != out.len() {
        return;
    }
    let (start, hold, fade) = (i64::from(opening.start), i64::from(opening.hold), i64::from(opening.fade));
    let i = i64::from(index);
    let weight = if i < start - fade || i >= start + hold + fade {
        return;
    } else if i < start {
        256 * (i - (start - fade)) / fade
    } else if i < start + hold {
        256
    } else {
        256 * (start + hold + fade - i) / fade
    };
    if weight >= 256 {
        out.copy_from_slice(&opening.rgb);
        return;
    }
    let t = weight.clamp(0, 256) as u32;
    for (p, q) in out.iter_mut().zip(&opening.rgb) {
        *p = ((u32::from(*p) * (256 - t) + u32::from(*q) * t) >> 8) as u8;
    }
}
