"""Share links for an article, built on the server: no third-party script."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class ShareLink:
    """One way to share: a network's name, its link and a short key for CSS."""

    key: str
    label: str
    href: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Links that share ``url`` (absolute) with ``title`` on each network, URL-encoded."""
    text = f"{title} {url}"
    return [
        ShareLink("facebook", "Facebook", _link("https://www.facebook.com/sharer/sharer.php", u=url)),
        ShareLink("x", "X", _link("https://x.com/intent/post", url=url, text=title)),
        ShareLink("whatsapp", "WhatsApp", _link("https://wa.me/", text=text)),
        ShareLink("telegram", "Telegram", _link("https://t.me/share/url", url=url, text=title)),
        ShareLink(
            "linkedin", "LinkedIn", _link("https://www.linkedin.com/sharing/share-offsite/", url=url)
        ),
        ShareLink("reddit", "Reddit", _link("https://www.reddit.com/submit", url=url, title=title)),
        ShareLink(
            "email", "Email", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)
        ),
    ]


def _link(base: str, **params: str) -> str:
    return f"{base}?{urlencode(params, quote_via=quote)}"
