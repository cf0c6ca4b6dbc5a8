"""Small readers for what the service sends back: MP4 (ISO BMFF) headers and JPEG frames.

Only the standard library: the MP4 reader walks the box tree to the movie header (`mvhd`: timescale
and duration) and each track's header (`tkhd`: width and height, 16.16 fixed point) and handler
(`hdlr`: `vide` for video); the JPEG reader checks the markers and reads the frame size (SOFn).
"""

import struct
from dataclasses import dataclass

# Boxes that hold other boxes, on the way to mvhd, tkhd and hdlr.
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"udta"}


class MediaError(ValueError):
    """The bytes are not what they claim to be."""


@dataclass
class Track:
    handler: str
    width: float
    height: float


@dataclass
class Mp4:
    brand: str
    timescale: int
    duration_units: int
    tracks: list

    @property
    def seconds(self) -> float:
        return self.duration_units / self.timescale

    def video_track(self) -> Track:
        videos = [t for t in self.tracks if t.handler == "vide"]
        if len(videos) != 1:
            raise MediaError(f"expected one video track, found handlers {[t.handler for t in self.tracks]}")
        return videos[0]


def _boxes(data: bytes, start: int, end: int):
    """Yield (type, payload start, box end) for the boxes in data[start:end]."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            if at + 16 > end:
                raise MediaError(f"truncated 64-bit box header at {at}")
            (size,) = struct.unpack_from(">Q", data, at + 8)
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise MediaError(f"box {kind!r} at {at} has size {size}, beyond its parent (ends at {end})")
        yield kind, at + header, at + size
        at += size
    if at != end:
        raise MediaError(f"{end - at} stray bytes after the last box (at {at})")


def parse_mp4(data: bytes) -> Mp4:
    if len(data) < 16:
        raise MediaError(f"{len(data)} bytes is no MP4")
    top = list(_boxes(data, 0, len(data)))
    kinds = [k for k, _, _ in top]
    if not kinds or kinds[0] != b"ftyp":
        raise MediaError(f"the first box is {kinds[:1]}, not ftyp")
    if b"moov" not in kinds or b"mdat" not in kinds:
        raise MediaError(f"top-level boxes {kinds} lack moov or mdat")
    _, ftyp_start, _ = top[0]
    brand = data[ftyp_start : ftyp_start + 4].decode("latin-1")
    movie = {}
    tracks = []

    def walk(start, end, track):
        for kind, payload, box_end in _boxes(data, start, end):
            if kind == b"mvhd":
                version = data[payload]
                if version == 1:
                    movie["timescale"], movie["duration"] = struct.unpack_from(">IQ", data, payload + 20)
                else:
                    movie["timescale"], movie["duration"] = struct.unpack_from(">II", data, payload + 12)
            elif kind == b"tkhd":
                # width and height are the last 8 bytes of the box, 16.16 fixed point.
                w, h = struct.unpack_from(">II", data, box_end - 8)
                track["width"], track["height"] = w / 65536, h / 65536
            elif kind == b"hdlr":
                track["handler"] = data[payload + 8 : payload + 12].decode("latin-1")
            elif kind == b"trak":
                inner = {}
                walk(payload, box_end, inner)
                tracks.append(Track(inner.get("handler", "?"), inner.get("width", 0), inner.get("height", 0)))
            elif kind in CONTAINERS:
                walk(payload, box_end, track)

    for kind, payload, box_end in top:
        if kind == b"moov":
            walk(payload, box_end, {})
    if "timescale" not in movie or movie["timescale"] == 0:
        raise MediaError("no movie header (mvhd) with a timescale")
    return Mp4(brand, movie["timescale"], movie["duration"], tracks)


@dataclass
class Jpeg:
    width: int
    height: int
    components: int


def parse_jpeg(data: bytes) -> Jpeg:
    if data[:2] != b"\xff\xd8":
        raise MediaError(f"no JPEG start-of-image marker (starts {data[:4].hex()})")
    if data[-2:] != b"\xff\xd9":
        raise MediaError(f"no JPEG end-of-image marker (ends {data[-4:].hex()})")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise MediaError(f"expected a marker at {at}, found {data[at]:#x}")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        (length,) = struct.unpack_from(">H", data, at + 2)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            _, height, width, components = struct.unpack_from(">BHHB", data, at + 4)
            return Jpeg(width, height, components)
        if marker == 0xDA:
            break
        at += 2 + length
    raise MediaError("no frame header (SOFn) before the scan")
