//! Packs an encoded H.264 stream into a "fast start" MP4 (the `moov` box before `mdat`).

use std::io::Cursor;

use bytes::Bytes;
use mp4::{
    AvcConfig, FixedPointU8, MediaConfig, Mp4Box, Mp4Config, Mp4Reader, Mp4Sample, Mp4Writer, TrackConfig, TrackType,
    WriteBox,
};

use super::MediaError;
use super::h264::Stream;

/// Media timescale ticks per frame; with `fps * TICKS_PER_FRAME` ticks per second every duration is exact.
const TICKS_PER_FRAME: u32 = 512;

/// tkhd flags: track enabled, used in the movie and in previews.
const TRACK_ENABLED_IN_MOVIE_AND_PREVIEW: u32 = 0x7;

fn mp4_error(e: mp4::Error) -> MediaError {
    MediaError(format!("cannot write MP4: {e}"))
}

/// Wraps `stream` (`width` x `height`, `fps` frames per second) in an MP4 file.
pub(crate) fn to_mp4(stream: &Stream, width: u32, height: u32, fps: u32) -> Result<Vec<u8>, MediaError> {
    let size_error = || MediaError(format!("video size {width}x{height} does not fit an MP4 track header"));
    let timescale = fps.checked_mul(TICKS_PER_FRAME).ok_or_else(|| MediaError::new("frame rate too high"))?;
    let brand = |s: &[u8; 4]| mp4::FourCC { value: *s };
    let config = Mp4Config {
        major_brand: brand(b"isom"),
        minor_version: 512,
        compatible_brands: vec![brand(b"isom"), brand(b"iso2"), brand(b"avc1"), brand(b"mp41")],
        // Movie and media share the timescale so mvhd's duration is as exact as mdhd's.
        timescale,
    };
    let mut writer = Mp4Writer::write_start(Cursor::new(Vec::new()), &config).map_err(mp4_error)?;
    writer
        .add_track(&TrackConfig {
            track_type: TrackType::Video,
            timescale,
            language: "und".into(),
            media_conf: MediaConfig::AvcConfig(AvcConfig {
                width: u16::try_from(width).map_err(|_| size_error())?,
                height: u16::try_from(height).map_err(|_| size_error())?,
                seq_param_set: stream.sps.clone(),
                pic_param_set: stream.pps.clone(),
            }),
        })
        .map_err(mp4_error)?;

    let mut start_time = 0u64;
    for sample in &stream.samples {
        let duration =
            sample.frames.checked_mul(TICKS_PER_FRAME).ok_or_else(|| MediaError::new("sample duration overflows"))?;
        writer
            .write_sample(
                1,
                &Mp4Sample {
                    start_time,
                    duration,
                    rendering_offset: 0,
                    is_sync: sample.is_sync,
                    bytes: Bytes::copy_from_slice(&sample.data),
                },
            )
            .map_err(mp4_error)?;
        start_time += u64::from(duration);
    }
    writer.write_end().map_err(mp4_error)?;
    fast_start(writer.into_writer().into_inner())
}

/// A top-level box: its four-character type and byte range in the file.
struct TopBox {
    kind: [u8; 4],
    start: usize,
    end: usize,
}

/// Lists the top-level boxes of an MP4 file.
fn top_level_boxes(file: &[u8]) -> Result<Vec<TopBox>, MediaError> {
    let bad = || MediaError::new("malformed MP4 box layout");
    let be = |at: usize, n: usize| -> Result<u64, MediaError> {
        let bytes = file.get(at..at + n).ok_or_else(bad)?;
        Ok(bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b)))
    };
    let mut boxes = Vec::new();
    let mut pos = 0usize;
    while pos < file.len() {
        let size = match be(pos, 4)? {
            0 => (file.len() - pos) as u64,
            1 => be(pos + 8, 8)?,
            n => n,
        };
        let kind = file.get(pos + 4..pos + 8).and_then(|k| <[u8; 4]>::try_from(k).ok()).ok_or_else(bad)?;
        let end = usize::try_from(size).ok().and_then(|s| pos.checked_add(s)).filter(|&e| e > pos && e <= file.len());
        let end = end.ok_or_else(bad)?;
        boxes.push(TopBox { kind, start: pos, end });
        pos = end;
    }
    Ok(boxes)
}

/// Moves `moov` in front of `mdat`, shifting the chunk offsets, so playback can start while downloading.
fn fast_start(file: Vec<u8>) -> Result<Vec<u8>, MediaError> {
    let boxes = top_level_boxes(&file)?;
    let reader = Mp4Reader::read_header(Cursor::new(&file), file.len() as u64).map_err(mp4_error)?;
    let mut moov = reader.moov;
    let moov_size = usize::try_from(moov.box_size()).map_err(|_| MediaError::new("moov box too large"))?;

    // Every box other than moov keeps its order; moov goes right before the first mdat.
    let mdat_start = boxes
        .iter()
        .find(|b| &b.kind == b"mdat")
        .map(|b| b.start)
        .ok_or_else(|| MediaError::new("MP4 has no mdat box"))?;
    let moov_before = boxes.iter().filter(|b| &b.kind == b"moov" && b.start < mdat_start).count();
    if moov_before > 0 {
        return Ok(file);
    }
    let shift = moov_size as u64;

    // The writer leaves a few header fields at values some players dislike; fix them while here.
    moov.mvhd.next_track_id = moov.traks.len() as u32 + 1;
    for trak in &mut moov.traks {
        trak.tkhd.flags = TRACK_ENABLED_IN_MOVIE_AND_PREVIEW;
        trak.tkhd.volume = FixedPointU8::new(0);
        let stbl = &mut trak.mdia.minf.stbl;
        if let Some(stco) = &mut stbl.stco {
            for offset in &mut stco.entries {
                *offset = u32::try_from(u64::from(*offset) + shift)
                    .map_err(|_| MediaError::new("MP4 too large for 32-bit chunk offsets"))?;
            }
        }
        if let Some(co64) = &mut stbl.co64 {
            for offset in &mut co64.entries {
                *offset += shift;
            }
        }
    }

    let mut out = Vec::with_capacity(file.len());
    for b in &boxes {
        if &b.kind == b"moov" {
            continue;
        }
        if b.start == mdat_start {
            moov.write_box(&mut out).map_err(mp4_error)?;
        }
        out.extend_from_slice(file.get(b.start..b.end).ok_or_else(|| MediaError::new("malformed MP4"))?);
    }
    if out.len() != file.len() {
        return Err(MediaError::new("MP4 changed size while moving moov to the front"));
    }
    Ok(out)
}
