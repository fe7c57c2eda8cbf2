"""The session cookie: Flask's signed cookie, its serializer built once per app, not compressed.

Flask builds a new itsdangerous serializer for every request that opens or saves a session,
and tries zlib on every cookie it writes; zlib's set-up alone cost more than the rest of the
signing. The cookies here are small (a CSRF secret, a reader's own comment ids, a notice), so
they are written as signed base64 JSON; cookies written compressed before are still read.
"""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin

_SERIALIZER = "newsroom.session_serializer"


class _Uncompressed(URLSafeTimedSerializer):
    """URL-safe and timed, without the zlib attempt on writing (reading still inflates)."""

    def dump_payload(self, obj) -> bytes:
        return base64_encode(super(URLSafeSerializerMixin, self).dump_payload(obj))


class SessionCookie(SecureCookieSessionInterface):
    """Flask's cookie sessions with one serializer per app and its key settings."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        cached = app.extensions.get(_SERIALIZER)
        if cached is None or cached[0] != keys:
            serializer = _Uncompressed(
                list(keys), salt=self.salt, serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation,
                               "digest_method": self.digest_method},
            )
            cached = app.extensions[_SERIALIZER] = (keys, serializer)
        return cached[1]


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookie()
