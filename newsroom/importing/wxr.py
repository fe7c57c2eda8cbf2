"""Reading a WordPress export (WXR 1.1/1.2): one ``<item>`` element to plain values."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

from newsroom.importing.common import BadImportFile

#: The WXR versions read, by namespace.
WXR_NAMESPACES = {
    "http://wordpress.org/export/1.1/": "1.1",
    "http://wordpress.org/export/1.2/": "1.2",
}
WXR_OTHER = re.compile(r"^https?://wordpress\.org/export/([^/]+)/$")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
NO_DATE = "0000-00-00 00:00:00"


@dataclass
class WpComment:
    comment_id: str
    parent_id: str | None
    kind: str  #: "" / "comment", "pingback", "trackback"
    approved: str
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None
    content: str
    disqus_id: str | None


@dataclass
class WpItem:
    post_id: str
    post_type: str
    status: str
    title: str
    name: str
    link: str
    content: str
    excerpt: str
    creator: str
    date: datetime | None
    password: str
    comment_status: str
    parent_id: str
    #: (nicename, name) of each category (not tag) the post is in.
    categories: list[tuple[str, str]] = field(default_factory=list)
    comments: list[WpComment] = field(default_factory=list)


def wxr_namespace(root: Any) -> str:
    """The export namespace the root declares; anything else is not a WXR file we read."""
    if root.tag != "rss":
        raise BadImportFile(f"not a WordPress export: the root element is <{_local(root.tag)}>, "
                            "not <rss>")
    for uri in root.nsmap.values():
        if uri in WXR_NAMESPACES:
            return uri
    for uri in root.nsmap.values():
        version = WXR_OTHER.match(uri or "")
        if version:
            raise BadImportFile(f"WXR version {version.group(1)} is not supported "
                                "(1.1 and 1.2 are)")
    raise BadImportFile("not a WordPress export: an RSS file without the WXR namespace")


class ItemReader:
    """Turns ``<item>`` elements into WpItems, dates read in UTC or the site's zone."""

    def __init__(self, namespace: str, zone: tzinfo) -> None:
        self.wp = "{" + namespace + "}"
        self.excerpt = "{" + namespace + "excerpt/}encoded"
        self.zone = zone

    def text(self, element: Any, name: str) -> str:
        return (element.findtext(self.wp + name) or "").strip()

    def item(self, element: Any) -> WpItem:
        wp = self.wp
        return WpItem(
            post_id=self.text(element, "post_id"),
            post_type=self.text(element, "post_type") or "post",
            status=self.text(element, "status") or "draft",
            title=plain_text(element.findtext("title") or ""),
            name=self.text(element, "post_name"),
            link=(element.findtext("link") or "").strip(),
            content=element.findtext(CONTENT) or "",
            excerpt=plain_text(element.findtext(self.excerpt) or ""),
            creator=(element.findtext(CREATOR) or "").strip(),
            date=self.date(element, "post_date") or rfc822(element.findtext("pubDate")),
            password=self.text(element, "post_password"),
            comment_status=self.text(element, "comment_status"),
            parent_id=self.text(element, "post_parent"),
            categories=[
                (category.get("nicename", "").strip(), plain_text(category.text or ""))
                for category in element.iterfind("category")
                if category.get("domain") == "category"
            ],
            comments=[self.comment(node) for node in element.iterfind(wp + "comment")],
        )

    def comment(self, element: Any) -> WpComment:
        parent = self.text(element, "comment_parent")
        disqus_id = None
        for meta in element.iterfind(self.wp + "commentmeta"):
            if self.text(meta, "meta_key") == "dsq_post_id":
                disqus_id = self.text(meta, "meta_value") or None
        return WpComment(
            comment_id=self.text(element, "comment_id"),
            parent_id=parent if parent not in ("", "0") else None,
            kind=self.text(element, "comment_type"),
            approved=self.text(element, "comment_approved"),
            author=plain_text(self.text(element, "comment_author")),
            email=self.text(element, "comment_author_email"),
            url=self.text(element, "comment_author_url"),
            ip=self.text(element, "comment_author_IP"),
            date=self.date(element, "comment_date"),
            content=element.findtext(self.wp + "comment_content") or "",
            disqus_id=disqus_id,
        )

    def date(self, element: Any, name: str) -> datetime | None:
        """``<name>_gmt`` read as UTC, else ``<name>`` in the site's zone, else None."""
        utc = _wp_date(self.text(element, name + "_gmt"))
        if utc is not None:
            return utc.replace(tzinfo=timezone.utc)
        local = _wp_date(self.text(element, name))
        return local.replace(tzinfo=self.zone).astimezone(timezone.utc) if local else None

    def site(self, element: Any) -> str:
        """The channel's ``wp:base_site_url`` or ``<link>``."""
        return (element.text or "").strip()

    def author(self, element: Any) -> tuple[str, str]:
        """(login, display name) of a ``wp:author`` entry."""
        login = self.text(element, "author_login")
        return login, plain_text(self.text(element, "author_display_name")) or login


def plain_text(text: str) -> str:
    """Text with any tags dropped and entities decoded (titles, excerpts, names)."""
    if "<" in text:
        import bleach  # loaded on first use: the importer is not part of every start-up

        text = bleach.clean(text, tags=set(), strip=True, strip_comments=True)
    return " ".join(html.unescape(text).split())


def rfc822(value: str | None) -> datetime | None:
    try:
        parsed = parsedate_to_datetime((value or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _wp_date(value: str) -> datetime | None:
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"
