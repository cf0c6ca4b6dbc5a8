//! Encodes rendered frames to H.264 with OpenH264, repackaged as MP4-ready samples.

use openh264::encoder::{
    Complexity, Encoder, EncoderConfig, FrameRate, IntraFramePeriod, Profile, QpRange, RateControlMode, SpsPpsStrategy,
    UsageType, VuiConfig,
};
use openh264::formats::{RgbSliceU8, YUVBuffer};
use openh264::{OpenH264API, Timestamp};

use super::frames::Scene;
use super::{MediaError, Quality};

/// One access unit: length-prefixed NAL units (4-byte big-endian sizes), as MP4 stores them.
pub(crate) struct Sample {
    pub data: Vec<u8>,
    pub is_sync: bool,
    /// How many frame periods the sample lasts (more than 1 only if the encoder skipped frames).
    pub frames: u32,
}

/// A complete encoded stream: parameter sets (for the `avcC` box) and the coded frames.
pub(crate) struct Stream {
    /// Sequence parameter set NAL unit, without start code.
    pub sps: Vec<u8>,
    /// Picture parameter set NAL unit, without start code.
    pub pps: Vec<u8>,
    pub samples: Vec<Sample>,
}

/// Quantiser of `Quality::High`: clean edges on text and shapes.
const HIGH_QP: u8 = 24;
/// Quantiser of `Quality::Low`: visibly softer, a fraction of the size.
const LOW_QP: u8 = 36;

const NAL_SLICE_IDR: u8 = 5;
const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;
const NAL_AUD: u8 = 9;

/// Encodes every frame of `scene` at `fps` frames per second.
pub(crate) fn encode(scene: &Scene, quality: Quality, fps: u32) -> Result<Stream, MediaError> {
    let (width, height) = scene.size();
    let mut encoder = Encoder::with_api_config(OpenH264API::from_source(), config(quality, fps))
        .map_err(|e| MediaError(format!("cannot start the H.264 encoder: {e}")))?;
    let mut rgb = vec![0u8; scene.rgb_len()];
    // Dimensions are even (checked by the caller), as YUVBuffer requires.
    let mut yuv = YUVBuffer::new(width, height);
    let mut stream = Stream { sps: Vec::new(), pps: Vec::new(), samples: Vec::new() };

    for index in 0..scene.frame_count() {
        scene.render(index, &mut rgb);
        // OpenH264's converter (BT.601 limited range, matching the VUI) is SIMD and built
        // optimised even in debug builds, where a hand-written loop here would dominate.
        yuv.read_rgb8(RgbSliceU8::new(&rgb, (width, height)));
        let millis = u64::from(index) * 1000 / u64::from(fps.max(1));
        let bitstream = encoder
            .encode_at(&yuv, Timestamp::from_millis(millis))
            .map_err(|e| MediaError(format!("H.264 encoding failed at frame {index}: {e}")))?;

        let mut sample = Sample { data: Vec::new(), is_sync: false, frames: 1 };
        for l in 0..bitstream.num_layers() {
            let Some(layer) = bitstream.layer(l) else {
                continue;
            };
            for n in 0..layer.nal_count() {
                let Some(nal) = layer.nal_unit(n).map(strip_start_code) else {
                    continue;
                };
                let Some(&header) = nal.first() else { continue };
                match header & 0x1F {
                    // Parameter sets live in the avcC box, not in the samples.
                    NAL_SPS if stream.sps.is_empty() => stream.sps = nal.to_vec(),
                    NAL_PPS if stream.pps.is_empty() => stream.pps = nal.to_vec(),
                    NAL_SPS | NAL_PPS | NAL_AUD => {}
                    kind => {
                        sample.is_sync |= kind == NAL_SLICE_IDR;
                        let len = u32::try_from(nal.len()).map_err(|_| MediaError::new("NAL unit too large"))?;
                        sample.data.extend_from_slice(&len.to_be_bytes());
                        sample.data.extend_from_slice(nal);
                    }
                }
            }
        }

        if !sample.data.is_empty() {
            stream.samples.push(sample);
        } else if let Some(previous) = stream.samples.last_mut() {
            // A skipped frame: the previous picture simply stays up one period longer.
            previous.frames += 1;
        } else {
            return Err(MediaError::new("the H.264 encoder produced no picture for the first frame"));
        }
    }

    if stream.sps.len() < 4 || stream.pps.is_empty() {
        return Err(MediaError::new("the H.264 encoder produced no parameter sets"));
    }
    if !stream.samples.first().is_some_and(|s| s.is_sync) {
        return Err(MediaError::new("the H.264 stream does not start with a key frame"));
    }
    Ok(stream)
}

/// Chooses the encoder settings; `Low` trades picture quality for a much smaller file.
fn config(quality: Quality, fps: u32) -> EncoderConfig {
    // Constant QP: OpenH264's buffer-based mode only nudges QP within the range, so a one-value
    // range pins it. (Its bitrate modes need frame skipping, which would drop frames.)
    let qp = match quality {
        Quality::High => QpRange::new(HIGH_QP, HIGH_QP),
        Quality::Low => QpRange::new(LOW_QP, LOW_QP),
    };
    EncoderConfig::new()
        .usage_type(UsageType::CameraVideoRealTime)
        .profile(Profile::Baseline)
        .rate_control_mode(RateControlMode::Bufferbased)
        .max_frame_rate(FrameRate::from_hz(fps as f32))
        .qp(qp)
        // Every frame must come out: the MP4 holds exactly fps * seconds samples.
        .skip_frames(false)
        .complexity(Complexity::Low)
        // A key frame every two seconds keeps seeking quick.
        .intra_frame_period(IntraFramePeriod::from_num_frames(fps.max(1) * 2))
        .sps_pps_strategy(SpsPpsStrategy::ConstantId)
        .vui(VuiConfig::bt601())
        // Background detection skips blocks it deems static and leaves smears behind moving shapes.
        .background_detection(false)
}

/// Returns the NAL unit without its Annex-B start code (`00 00 01` or `00 00 00 01`).
fn strip_start_code(nal: &[u8]) -> &[u8] {
    let zeros = nal.iter().take_while(|&&b| b == 0).count();
    if zeros >= 2 && nal.get(zeros) == Some(&1) { &nal[zeros + 1..] } else { nal }
}
