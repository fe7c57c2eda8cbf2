"""A request class that admits large bodies on the upload route only (1 MiB elsewhere)."""
from __future__ import annotations

from flask import current_app

from newsroom.inputs import CleanRequest

#: Endpoints whose form carries an image file.
UPLOAD_ENDPOINTS = frozenset({"editors.upload_media"})
#: Room for the form's other fields and the multipart framing around the file.
FORM_ALLOWANCE = 64 * 1024


class UploadRequest(CleanRequest):
    """The input boundary's request; MAX_UPLOAD_BYTES (plus the fields) on an upload route."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        if self.url_rule is not None and self.url_rule.endpoint in UPLOAD_ENDPOINTS:
            return int(current_app.config["MAX_UPLOAD_BYTES"]) + FORM_ALLOWANCE
        return current_app.config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
