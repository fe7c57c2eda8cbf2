"""Small helpers for building XML documents with ElementTree (which escapes all text)."""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from flask import Response

from newsroom.inputs import xml_safe

NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def qname(prefixed: str) -> str:
    """'dc:creator' -> '{http://purl.org/dc/elements/1.1/}creator'."""
    prefix, _, local = prefixed.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """Append an element with (escaped) text and attributes; returns it."""
    element = ET.SubElement(parent, qname(tag) if ":" in tag else tag, attributes)
    if text is not None:
        element.text = text
    return element


def rfc822(moment: datetime) -> str:
    """The date format RSS 2.0 asks for."""
    return format_datetime(moment, usegmt=True)


def rfc3339(moment: datetime) -> str:
    """The date format Atom and sitemaps ask for."""
    return moment.isoformat(timespec="seconds")


def root(tag: str, default: str | None = None, **attributes: str) -> ET.Element:
    """A document's root element; ``default`` names the namespace of its unprefixed tags."""
    if default:
        attributes["xmlns"] = NAMESPACES[default]
    return ET.Element(tag, attributes)


def xml_response(
    root_element: ET.Element, mimetype: str, stylesheet: str | None = None
) -> Response:
    """Serialise the document with an XML declaration (and a CSS stylesheet for browsers).

    A browser shows an XML document without a stylesheet in its own viewer, whose inline styles
    the site's Content-Security-Policy blocks (and reports); with one, it renders our CSS.
    Text XML cannot carry is dropped first (the last line of defence after input checks).
    """
    make_xml_safe(root_element)
    body = ET.tostring(root_element, encoding="utf-8", xml_declaration=True)
    if stylesheet:
        declaration, _, rest = body.partition(b"?>")
        pi = f'<?xml-stylesheet type="text/css" href="{stylesheet}"?>'.encode()
        body = declaration + b"?>\n" + pi + rest
    return Response(body, mimetype=mimetype, content_type=f"{mimetype}; charset=utf-8")


def make_xml_safe(root_element: ET.Element) -> None:
    """Strip XML-invalid characters from every text, tail and attribute value, in place.

    The last line of defence: names and headlines are cleaned on the way in, but a body, a
    byline or an outlet's name from a feed may still carry a stray control character, and one
    would make the whole document unreadable for every subscriber.
    """
    for element in root_element.iter():
        if element.text:
            element.text = xml_safe(element.text)
        if element.tail:
            element.tail = xml_safe(element.tail)
        for name, value in element.attrib.items():
            element.attrib[name] = xml_safe(value)
