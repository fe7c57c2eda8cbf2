"""Reading a feed from a local file: plain or gzip-compressed, within the download size cap."""
from __future__ import annotations

import gzip
import zlib
from dataclasses import replace

from newsroom.syndication.fetching import Fetched, FetchError, FetchSettings, read_file

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024


def read_feed_file(path: str, settings: FetchSettings) -> Fetched:
    """The feed in the file at ``path``; a gzip file (``feed.xml.gz``) is decompressed.

    The decompressed size is held to the same cap as a download, so a small file that
    inflates enormously is refused without being inflated in full.

    :raises FetchError: missing, unreadable, too large, or a damaged gzip file.
    """
    fetched = read_file(path, settings)
    if not fetched.content.startswith(GZIP_MAGIC):
        return fetched
    return replace(fetched, content=_gunzip(fetched.content, settings.max_bytes, path))


def _gunzip(data: bytes, max_bytes: int, path: str) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    parts, size = [], 0
    try:
        while data:
            part = decompressor.decompress(data, _CHUNK)
            data = decompressor.unconsumed_tail
            size += len(part)
            if size > max_bytes:
                raise FetchError(f"the feed is larger than {max_bytes:,} bytes uncompressed")
            parts.append(part)
            if decompressor.eof:
                break
    except (zlib.error, gzip.BadGzipFile) as error:
        raise FetchError(f"could not decompress {path}: {error}") from None
    if not decompressor.eof:
        raise FetchError(f"could not decompress {path}: the gzip data is cut short")
    return b"".join(parts)
