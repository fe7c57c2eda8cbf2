"""Image files made with Pillow for the upload tests: real types, hostile ones, and one that lies."""
from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height))
    image.putdata([
        (x * 255 // width, y * 255 // height, 128) + ((200,) if mode == "RGBA" else ())
        for y in range(height) for x in range(width)
    ])
    return image


def jpeg_with_gps(width: int = 640, height: int = 400, orientation: int = 6) -> bytes:
    """A JPEG carrying GPS coordinates, a camera name and an orientation (6: turn 90° right)."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Harbour Cam Co."
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 28.0, 12.5)
    gps[3], gps[4] = "W", (3.0, 10.0, 4.0)
    return encoded(gradient(width, height), "JPEG", exif=exif.tobytes(), quality=90)


def png(width: int = 1200, height: int = 800) -> bytes:
    return encoded(gradient(width, height, "RGBA"), "PNG")


def webp(width: int = 2000, height: int = 1000) -> bytes:
    return encoded(gradient(width, height), "WEBP", quality=80)


def gif(frames: int = 1, width: int = 300, height: int = 200) -> bytes:
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (220, 200, 40)]
    images = [
        Image.new("RGB", (width, height), colours[index % 4]).convert("P")
        for index in range(frames)
    ]
    if frames == 1:
        return encoded(images[0], "GIF")
    return encoded(images[0], "GIF", save_all=True, append_images=images[1:], duration=120,
                   loop=0, comment=b"made on the harbour wall")


def tiff() -> bytes:
    return encoded(gradient(40, 30), "TIFF")


def noise_png(byte_size: int) -> bytes:
    """A PNG of random pixels (it does not compress) of at least ``byte_size`` bytes."""
    side = int((byte_size / 3) ** 0.5) + 8
    rng = random.Random(14)
    image = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))
    return encoded(image, "PNG", compress_level=0)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few dozen bytes (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
