//! The output sizes the service supports, as a type.

/// A supported output size. Six resolutions, each in landscape and portrait (squares are both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VideoSize {
    Square480,
    Landscape480,
    Portrait480,
    Square720,
    Landscape720,
    Portrait720,
    Square1080,
    Landscape1080,
    Portrait1080,
}

/// Orientation of a [`VideoSize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Orientation {
    Square,
    Landscape,
    Portrait,
}

impl VideoSize {
    /// Every supported size, smallest first.
    pub const ALL: [VideoSize; 9] = [
        VideoSize::Square480,
        VideoSize::Landscape480,
        VideoSize::Portrait480,
        VideoSize::Square720,
        VideoSize::Landscape720,
        VideoSize::Portrait720,
        VideoSize::Square1080,
        VideoSize::Landscape1080,
        VideoSize::Portrait1080,
    ];

    /// Width and height in pixels.
    pub const fn dimensions(self) -> (u32, u32) {
        match self {
            Self::Square480 => (480, 480),
            Self::Landscape480 => (854, 480),
            Self::Portrait480 => (480, 854),
            Self::Square720 => (720, 720),
            Self::Landscape720 => (1280, 720),
            Self::Portrait720 => (720, 1280),
            Self::Square1080 => (1080, 1080),
            Self::Landscape1080 => (1920, 1080),
            Self::Portrait1080 => (1080, 1920),
        }
    }

    /// `WIDTHxHEIGHT`, as the service writes it (`"1280x720"`), built without `core::fmt`.
    pub(crate) fn name(self) -> String {
        dimensions_name(self.dimensions())
    }

    /// The size with these dimensions, if the service supports it.
    pub fn from_dimensions(width: u32, height: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.dimensions() == (width, height))
    }

    /// The short side in pixels: 480, 720 or 1080.
    pub const fn resolution(self) -> u32 {
        let (w, h) = self.dimensions();
        if w < h { w } else { h }
    }

    /// Landscape, portrait or square.
    pub const fn orientation(self) -> Orientation {
        let (w, h) = self.dimensions();
        if w > h {
            Orientation::Landscape
        } else if w < h {
            Orientation::Portrait
        } else {
            Orientation::Square
        }
    }

    /// The most variants one job may ask for at this size: 4 at 480p, 2 at 720p, 1 at 1080p.
    pub const fn max_variants(self) -> u32 {
        match self.resolution() {
            480 => 4,
            720 => 2,
            _ => 1,
        }
    }
}

impl std::fmt::Display for VideoSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// `WIDTHxHEIGHT` (`"1280x720"`), built without `core::fmt`.
pub fn dimensions_name((width, height): (u32, u32)) -> String {
    [&width.to_string(), "x", &height.to_string()].concat()
}

/// Width and height from `WIDTHxHEIGHT`.
pub fn parse_dimensions(text: &str) -> Option<(u32, u32)> {
    let (width, height) = text.split_once('x')?;
    Some((width.parse().ok()?, height.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_round_trip_and_are_unique() {
        for size in VideoSize::ALL {
            let (w, h) = size.dimensions();
            assert_eq!(VideoSize::from_dimensions(w, h), Some(size));
        }
        assert_eq!(VideoSize::from_dimensions(640, 360), None);
        assert_eq!(VideoSize::from_dimensions(480, 481), None);
    }

    #[test]
    fn variant_limits_follow_resolution() {
        let limits: Vec<(String, u32)> = VideoSize::ALL.iter().map(|s| (s.to_string(), s.max_variants())).collect();
        let expected = [
            ("480x480", 4),
            ("854x480", 4),
            ("480x854", 4),
            ("720x720", 2),
            ("1280x720", 2),
            ("720x1280", 2),
            ("1080x1080", 1),
            ("1920x1080", 1),
            ("1080x1920", 1),
        ];
        for ((got_name, got_max), (name, max)) in limits.iter().zip(expected) {
            assert_eq!((got_name.as_str(), *got_max), (name, max));
        }
    }

    #[test]
    fn orientation() {
        assert_eq!(VideoSize::Landscape720.orientation(), Orientation::Landscape);
        assert_eq!(VideoSize::Portrait1080.orientation(), Orientation::Portrait);
        assert_eq!(VideoSize::Square480.orientation(), Orientation::Square);
        assert_eq!(VideoSize::Portrait480.resolution(), 480);
    }
}
