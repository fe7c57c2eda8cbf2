"""Check an upload with Pillow and turn it into clean renditions (no metadata, never upscaled).

The type is read from the content, never the name; only JPEG, PNG, WebP and GIF are opened.
Every file is re-encoded from its pixels, so EXIF (GPS included), XMP, ICC and comments are
left behind; the EXIF orientation is applied first so the picture stands the right way up.
An animated GIF keeps its animation at its own size and gets no smaller renditions: resizing
every frame is slow and often makes bigger files, and a still first frame would silently
drop what the editor chose.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # Pillow itself is imported where an image is handled: not at start-up
    from PIL import Image

#: Widths of the renditions in a ``srcset``; an image narrower than one stops at its own width.
RENDITION_WIDTHS = (480, 960, 1600)
#: Pillow's format names we accept, and the type each is stored and served as.
KINDS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ORIENTATION = 0x0112  # the EXIF tag
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
SAVE_OPTIONS = {
    "jpeg": {"format": "JPEG", "quality": 85, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
    "webp": {"format": "WEBP", "quality": 82, "method": 4},
    "gif": {"format": "GIF", "optimize": True},
}


class ImageRefused(ValueError):
    """An upload we will not keep; the message tells the editor why, in plain words."""


@dataclass
class Processed:
    """A cleaned upload: what it is and the encoded files to store, by file name."""

    digest: str
    kind: str
    width: int
    height: int
    animated: bool
    renditions: list[dict] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


def read_limited(stream: IO[bytes], max_bytes: int) -> bytes:
    """The upload's bytes; more than ``max_bytes`` is refused without reading it all."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRefused(f"The file is too large: the limit is {human_size(max_bytes)}.")
    if not data:
        raise ImageRefused("The file is empty.")
    return data


def process(data: bytes) -> Processed:
    """Check ``data`` is an image we accept and make its renditions.

    :raises ImageRefused: not an image, an unsupported type, too many pixels, or unreadable.
    """
    from PIL import Image
    image = open_checked(data)
    kind = KINDS[image.format]
    digest = hashlib.sha256(data).hexdigest()
    if getattr(image, "is_animated", False) and kind == "gif":
        return _animated(image, digest)
    full_width, full_height = image.info["full_size"]
    if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):  # a quarter turn swaps them
        full_width, full_height = full_height, full_width
    picture = _upright(image)
    result = Processed(digest, kind, full_width, full_height, animated=False)
    for width in rendition_widths(picture.width):
        height = max(1, round(picture.height * width / picture.width))
        resized = picture if width == picture.width else picture.resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        files = {}
        for target in dict.fromkeys((kind, "webp")):
            name = f"{width}.{EXTENSIONS[target]}"
            result.files[name] = encode(resized, target)
            files[target] = name
        result.renditions.append({"width": width, "height": height, "files": files})
    return result


def open_checked(data: bytes) -> Image.Image:
    """Open ``data`` as one of our types, with Pillow's decompression-bomb check as an error."""
    from PIL import Image, UnidentifiedImageError
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(KINDS))
            image.verify()  # the structure, before any pixel is decoded
            image = Image.open(io.BytesIO(data), formats=list(KINDS))
            if image.width * image.height > (Image.MAX_IMAGE_PIXELS or 0) > 0:
                raise Image.DecompressionBombError("too many pixels")
            full_size = image.size
            if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 when that still covers 1600
                image.draft("RGB", (RENDITION_WIDTHS[-1], RENDITION_WIDTHS[-1]))
            image.load()
            image.info["full_size"] = full_size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(
                f"The image has too many pixels: the limit is {Image.MAX_IMAGE_PIXELS:,} "
                "(for example 10,000 × 8,900)."
            ) from None
        except UnidentifiedImageError:
            raise ImageRefused(_not_ours(data)) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRefused("The image is damaged or cut short and cannot be read.") from None
    return image


def _not_ours(data: bytes) -> str:
    """Why an upload none of our formats could open was refused: another image type, or none."""
    from PIL import Image
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as other:
                found = other.format
        except Exception:  # noqa: BLE001  any failure here means "not an image"
            return "The file is not an image (JPEG, PNG, WebP or GIF)."
    return f"{found} images are not supported: please upload a JPEG, PNG, WebP or GIF."


def rendition_widths(width: int) -> list[int]:
    """The srcset widths for an image ``width`` px wide: never wider than the image."""
    return [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])] if (
        width <= RENDITION_WIDTHS[-1]
    ) else list(RENDITION_WIDTHS)


def _upright(image: Image.Image) -> Image.Image:
    """The pixels only, turned as the EXIF orientation says, in a mode every target can save."""
    from PIL import Image, ImageOps
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("P", "PA") and "transparency" in image.info
        image = image.convert("RGBA" if has_alpha or image.mode.endswith("A") else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a fresh image carries no info, EXIF, ICC or comments
    return clean


def encode(image: Image.Image, kind: str) -> bytes:
    """``image`` saved as ``kind`` with nothing but its pixels."""
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, **SAVE_OPTIONS[kind])
    return out.getvalue()


def _animated(image: Image.Image, digest: str) -> Processed:
    """An animated GIF re-encoded frame by frame at its own size, without its comments."""
    from PIL import ImageSequence
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    durations = [frame.info.get("duration", 100) for frame in frames]
    for frame in frames:
        frame.info = {}
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:],
        duration=durations, loop=image.info.get("loop", 0), disposal=2,
    )
    name = f"{image.width}.gif"
    result = Processed(digest, "gif", image.width, image.height, animated=True)
    result.files[name] = out.getvalue()
    result.renditions.append({"width": image.width, "height": image.height, "files": {"gif": name}})
    return result


def human_size(byte_count: int) -> str:
    """'10 MiB', '300 KiB'."""
    if byte_count >= 1024 * 1024:
        return f"{byte_count / (1024 * 1024):.3g} MiB"
    return f"{byte_count / 1024:.3g} KiB"
