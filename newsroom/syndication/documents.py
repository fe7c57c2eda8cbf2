"""What kind of XML document a feed file is, and what is wrong with a malformed one."""
from __future__ import annotations

import re
import xml.parsers.expat
# Bandit B406 judged safe: only the exception class, to read a parse error; nothing is parsed here.
from xml.sax import SAXParseException  # nosec B406

#: Root elements (local names) of the documents that are feeds: RSS 0.9x/2.0, RSS 1.0 and
#: 0.90 (RDF), Atom 0.3 and 1.0.
FEED_ROOTS = frozenset({"rss", "RDF", "feed"})
_XML_DECLARATION = re.compile(
    rb"^(?:\xef\xbb\xbf)?<\?xml|^(?:\xff\xfe)?<\x00\?\x00x\x00|^(?:\xfe\xff)?\x00<\x00\?\x00x"
)


class _RootFound(Exception):
    """Raised from expat's handler to stop parsing at the root element."""


def root_element(content: bytes) -> str | None:
    """The local name of the document's root element; None when expat cannot get that far.

    Parsing stops at the root's start tag, so entities in the body are never expanded and a
    malformed body does not matter; a document expat cannot start on (an encoding it does not
    know, an undeclared prefix on the root) is left to feedparser's judgement.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []

    def start(name, attributes):
        found.append(name.rsplit(" ", 1)[-1])
        raise _RootFound

    parser.StartElementHandler = start
    try:
        parser.Parse(content, True)
    except _RootFound:
        pass
    except (xml.parsers.expat.ExpatError, ValueError, LookupError):
        return None
    return found[0] if found else None


def not_a_feed_reason(content: bytes) -> str | None:
    """Why a well-formed document is not a feed (its root is, say, ``kml``), or None."""
    root = root_element(content)
    if root is None or root in FEED_ROOTS:
        return None
    return f"no RSS or Atom document found (the document is <{root[:40]}>)"


def xml_problem(error: BaseException | None, content: bytes) -> str | None:
    """feedparser's XML error as a sentence for an editor, or None when it is not one.

    The line is the document's own: feedparser puts an XML declaration on a line of its own
    in front of a document that has none, so its count is then one too many.
    """
    if not isinstance(error, SAXParseException):
        return None
    message = " ".join(str(error.getMessage()).split()) or "malformed"
    line = error.getLineNumber() - (0 if _XML_DECLARATION.match(content) else 1)
    return f"the feed is not well-formed XML: {message} on line {max(line, 1)}"
