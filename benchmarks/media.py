"""How long an image upload's checks and renditions take (newsroom.media.processing.process).

Run: ``.venv/bin/python -m benchmarks.media [--runs 5]``. Makes each test image with Pillow
(a 12-megapixel camera JPEG with EXIF, a 1600 × 1000 PNG with transparency, a 2000 × 1000
WebP, a 20-frame animated GIF), times ``process`` (open, verify, orient, strip, resize to
480/960/1600, encode WebP and the original type) and writes benchmarks/results/media.md.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import time
from datetime import datetime, timezone

from PIL import Image

from benchmarks.ingest import ROOT, _commit
from newsroom.media.processing import process

RESULTS = ROOT / "benchmarks" / "results" / "media.md"


def samples() -> dict[str, bytes]:
    """The uploads timed: what an editor typically sends."""
    def saved(image: Image.Image, fmt: str, **options) -> bytes:
        out = io.BytesIO()
        image.save(out, format=fmt, **options)
        return out.getvalue()

    photo = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825)[2] = (51.0, 28.0, 12.5)
    gradient = Image.linear_gradient("L").resize((1600, 1000))
    rgba = Image.merge("RGBA", (gradient, gradient, gradient, gradient))
    frames = [Image.new("RGB", (480, 320), (i * 12, 90, 160)).convert("P") for i in range(20)]
    return {
        "JPEG 4000 × 3000 (12 MP, EXIF GPS, rotated)": saved(photo, "JPEG", quality=92,
                                                              exif=exif.tobytes()),
        "PNG 1600 × 1000 RGBA": saved(rgba, "PNG"),
        "WebP 2000 × 1000": saved(photo.resize((2000, 1000)), "WEBP"),
        "GIF 480 × 320, 20 frames": saved(frames[0], "GIF", save_all=True,
                                          append_images=frames[1:], duration=80, loop=0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for label, data in samples().items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = process(data)
            times.append(time.perf_counter() - start)
        stored = sum(len(content) for content in result.files.values())
        rows.append((label, len(data), len(result.files), stored, statistics.median(times),
                     min(times)))
    lines = [
        "# Image upload processing",
        "",
        f"- command: `.venv/bin/python -m benchmarks.media --runs {args.runs}`",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Pillow {Image.__version__}",
        f"- commit: {_commit()}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        "| upload | bytes | files written | bytes written | median s | best s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, size, files, stored, median, best in rows:
        lines.append(f"| {label} | {size:,} | {files} | {stored:,} | {median:.3f} | {best:.3f} |")
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
