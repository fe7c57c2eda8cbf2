"""Pillow's checks and the renditions: real types only, no metadata, never upscaled."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from newsroom.media.processing import ImageRefused, process, read_limited, rendition_widths
from tests.media import images


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_jpeg_loses_its_gps_and_camera_but_stands_upright():
    original = images.jpeg_with_gps(640, 400, orientation=6)
    assert _open(original).getexif().get_ifd(images.GPS_IFD)  # the test file really has GPS
    result = process(original)
    assert (result.kind, result.width, result.height) == ("jpeg", 400, 640)  # turned upright
    assert set(result.files) == {"400.jpg", "400.webp"}
    for name, content in result.files.items():
        stored = _open(content)
        assert stored.size == (400, 640), name
        assert not stored.getexif(), name
        assert "exif" not in stored.info and "icc_profile" not in stored.info, name
        assert b"Harbour Cam" not in content and b"GPS" not in content, name


def test_renditions_are_480_960_1600_wide_in_webp_and_the_original_type():
    result = process(images.webp(2000, 1000))
    assert [r["width"] for r in result.renditions] == [480, 960, 1600]
    assert [r["height"] for r in result.renditions] == [240, 480, 800]
    assert set(result.files) == {"480.webp", "960.webp", "1600.webp"}
    png = process(images.png(1200, 800))
    assert [r["width"] for r in png.renditions] == [480, 960, 1200]  # never upscaled
    assert {_open(c).format for c in png.files.values()} == {"PNG", "WEBP"}
    assert _open(png.files["480.png"]).mode == "RGBA"  # transparency kept


def test_rendition_widths_stop_at_the_image_width():
    assert rendition_widths(300) == [300]
    assert rendition_widths(960) == [480, 960]
    assert rendition_widths(5000) == [480, 960, 1600]


def test_a_still_gif_gets_renditions_and_an_animated_one_keeps_its_frames():
    still = process(images.gif(frames=1, width=1000, height=500))
    assert (still.kind, still.animated) == ("gif", False)
    assert set(still.files) == {"480.gif", "960.gif", "1000.gif", "480.webp", "960.webp",
                                "1000.webp"}
    moving = process(images.gif(frames=4))
    assert moving.animated and set(moving.files) == {"300.gif"}
    kept = _open(moving.files["300.gif"])
    assert kept.n_frames == 4 and "comment" not in kept.info


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Harbour minutes, 1 December\n" * 20, "not an image"),
        (b"", "not an image"),
        (images.tiff(), "TIFF images are not supported"),
        (images.png_header_only(30_000, 30_000), "too many pixels"),
        (images.png_header_only(10_000, 9_500), "too many pixels"),  # warning range, as an error
        (images.png(200, 100)[:-60], "damaged"),
    ],
)
def test_what_is_refused_and_why(data, reason):
    with pytest.raises(ImageRefused, match=reason):
        process(data)


def test_the_size_limit_is_read_without_reading_everything():
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(ImageRefused, match="too large: the limit is 4 KiB"):
        read_limited(stream, 4096)
    assert stream.tell() == 4097
    with pytest.raises(ImageRefused, match="empty"):
        read_limited(io.BytesIO(b""), 4096)
