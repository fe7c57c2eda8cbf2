"""The comment policy: which new comments are refused, spammed or held, and why.

Each rule is a small function of the submission and the facts looked up for it, returning
the reasons it applies (none when it does not). ``RULES`` pairs every rule with what it
leads to; ``assess`` looks the facts up in one query, whatever the size of the tables,
and lets the worst outcome win. The reasons are stored on the comment for moderators.
"""
from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import urlsplit

from newsroom.comments.facts import facts_query
from newsroom.extensions import db
from newsroom.models import BanKind, BlocklistKind, CommentStatus, utcnow

#: Reasons recorded on a comment, shown to moderators.
PRE_MODERATION = "pre-moderation"
HONEYPOT = "honeypot"
TOO_FAST = "too-fast"
# Bandit B105 judged safe: a reason label, not a password.
MISSING_FORM_TOKEN = "missing-form-token"  # nosec B105
TOO_MANY_LINKS = "too-many-links"
DUPLICATE = "duplicate"
BLOCKLISTED = "blocklisted-{kind}"  #: blocklisted-word, -email, -ip, -domain
BANNED = "banned-{kind}"  #: banned-email, -ip, -domain

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_BARE_EMAIL_DOMAIN = re.compile(r"[\w.+-]@([\w-]+(?:\.[\w-]+)+)")
#: Longest blocklisted phrase, in words, that the word rule can match.
MAX_PHRASE_WORDS = 3


class Outcome(enum.IntEnum):
    """What a rule does to a comment when it applies; the highest one wins."""

    HOLD = 1
    SPAM = 2
    REFUSE = 3


@dataclass(frozen=True)
class Settings:
    """The policy's knobs, read from the app config."""

    min_seconds: float = 3
    max_links: int = 2
    duplicate_window: timedelta = timedelta(minutes=10)
    premoderation: bool = True

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        return cls(
            min_seconds=float(config["COMMENT_MIN_SECONDS"]),
            max_links=int(config["COMMENT_MAX_LINKS"]),
            duplicate_window=timedelta(minutes=float(config["COMMENT_DUPLICATE_WINDOW_MINUTES"])),
            premoderation=bool(config.get("COMMENT_PREMODERATION", True)),
        )


class _Reader(HTMLParser):
    """Collects the text and the links of sanitised comment HTML.

    A link is an ``<a href>`` or a web address left as text (one the linkifier did not
    recognise, such as an unknown top-level domain).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._in_link = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self._in_link += 1
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag) -> None:
        if tag == "a":
            self._in_link = max(self._in_link - 1, 0)

    def handle_data(self, data) -> None:
        self.text.append(data)
        if not self._in_link:
            self.links.extend(_BARE_URL.findall(data))


@dataclass
class Submission:
    """What a reader sent, as the policy sees it."""

    article_id: int
    name: str
    email: str  #: lowercased
    website: str
    body: str  #: sanitised HTML
    ip_address: str
    honeypot: str = ""
    #: Seconds between serving the form and receiving it; None when the token was missing or forged.
    form_age: float | None = None
    #: The keyed hash of the sending browser's commenter token ("" without one); see trust.py.
    browser_key: str = ""

    @cached_property
    def _read(self) -> _Reader:
        reader = _Reader()
        reader.feed(self.body)
        reader.close()
        return reader

    @property
    def links(self) -> list[str]:
        """The link targets in the body."""
        return self._read.links

    @cached_property
    def phrases(self) -> set[str]:
        """Every run of 1..MAX_PHRASE_WORDS words in the name, body text and website, lowercased."""
        text = " ".join([self.name, " ".join(self._read.text), self.website])
        words = word_list(text)
        return {
            " ".join(words[start : start + size])
            for size in range(1, MAX_PHRASE_WORDS + 1)
            for start in range(len(words) - size + 1)
        }

    @cached_property
    def email_domains(self) -> set[str]:
        """The email's domain and every parent domain of it."""
        return domain_and_parents(self.email.rpartition("@")[2])

    @cached_property
    def link_domains(self) -> set[str]:
        """The hosts of the body's links and the website, with their parent domains."""
        domains: set[str] = set()
        for host in _BARE_EMAIL_DOMAIN.findall(" ".join(self._read.text)):
            domains |= domain_and_parents(host)
        for url in [*self.links, self.website]:
            if url.lower().startswith("mailto:"):
                host = url.rpartition("@")[2].split("?")[0]
            else:
                try:
                    host = urlsplit(url).hostname or ""
                except ValueError:
                    host = ""
            domains |= domain_and_parents(host)
        return domains


def word_list(text: str) -> list[str]:
    """The lowercased words of ``text`` as the word rule sees them (punctuation dropped)."""
    return _WORD.findall(text.lower())


def normalise_ip(value: str) -> str:
    """One spelling per address: compressed, lowercase, an IPv4-mapped IPv6 address as IPv4.

    Intake, bans and blocklist entries all pass through it, so ``2001:DB8:0::1`` typed on the
    desk matches ``2001:db8::1`` from the network. A value that is no address is lowercased.
    """
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return value.strip().lower()
    return str(getattr(address, "ipv4_mapped", None) or address)


def domain_and_parents(host: str) -> set[str]:
    """``a.b.example`` -> {a.b.example, b.example, example}: a rule on any of them applies."""
    labels = [label for label in host.strip().strip(".").lower().split(".") if label]
    return {".".join(labels[index:]) for index in range(len(labels))}


@dataclass
class Facts:
    """What the database says about a submission."""

    returning: bool = False  #: the email is trusted from this browser (see newsroom/trust.py)
    duplicate: bool = False  #: same body, same email, same article, within the window
    blocklisted: set[tuple[str, str]] = field(default_factory=set)  #: (kind, value) hits
    bans: set[tuple[str, str]] = field(default_factory=set)  #: (kind, value) active bans hit


@dataclass
class Verdict:
    """The status a new comment gets and the rules that caught it."""

    status: CommentStatus
    reasons: list[str] = field(default_factory=list)
    refused: bool = False  #: not to be stored at all (a duplicate)

    @property
    def note(self) -> str:
        """The reason written on the comment's first moderation decision."""
        if self.reasons:
            return ", ".join(self.reasons)
        return "approved by policy"


Rule = Callable[[Submission, Facts, Settings], Iterable[str]]


# --- the rules ---------------------------------------------------------------------------


def duplicate(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """The same body from the same email on the same article, a moment ago."""
    return [DUPLICATE] if facts.duplicate else []


def honeypot(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """The hidden field people never see was filled in: a bot."""
    return [HONEYPOT] if sub.honeypot.strip() else []


def banned(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """The email, IP or email domain is under an active ban."""
    return _kinds(BANNED, facts.bans)


def blocklisted(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """A blocklisted word, email, IP or domain appears."""
    return _kinds(BLOCKLISTED, facts.blocklisted)


def too_fast(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """Sent sooner after the form was served than a person writes, or without a valid token."""
    if sub.form_age is None:
        return [MISSING_FORM_TOKEN]
    return [TOO_FAST] if sub.form_age < settings.min_seconds else []


def too_many_links(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """More links in the body than the policy allows, even for a returning commenter."""
    return [TOO_MANY_LINKS] if len(sub.links) > settings.max_links else []


def pre_moderation(sub: Submission, facts: Facts, settings: Settings) -> Iterable[str]:
    """Everyone waits for a moderator, except a commenter who has proved control of the
    address from this browser (typing an address proves nothing)."""
    return [PRE_MODERATION] if settings.premoderation and not facts.returning else []


def _kinds(template: str, hits: set[tuple[str, str]]) -> list[str]:
    order = ("word", "email", "ip", "domain")
    return [template.format(kind=kind) for kind in order if any(hit[0] == kind for hit in hits)]


#: Every rule with what it leads to, in the order reasons are listed.
RULES: tuple[tuple[Rule, Outcome], ...] = (
    (duplicate, Outcome.REFUSE),
    (honeypot, Outcome.SPAM),
    (banned, Outcome.SPAM),
    (blocklisted, Outcome.SPAM),
    (too_fast, Outcome.HOLD),
    (too_many_links, Outcome.HOLD),
    (pre_moderation, Outcome.HOLD),
)

_STATUS = {Outcome.HOLD: CommentStatus.PENDING, Outcome.SPAM: CommentStatus.SPAM}


def judge(sub: Submission, facts: Facts, settings: Settings, rules=RULES) -> Verdict:
    """Apply ``rules``; the worst outcome decides, every rule that applied is a reason."""
    worst: Outcome | None = None
    reasons: list[str] = []
    for rule, outcome in rules:
        found = list(rule(sub, facts, settings))
        if found:
            reasons.extend(found)
            worst = outcome if worst is None else max(worst, outcome)
    if worst is Outcome.REFUSE:
        return Verdict(CommentStatus.PENDING, reasons, refused=True)
    return Verdict(_STATUS.get(worst, CommentStatus.APPROVED), reasons)


def assess(sub: Submission, settings: Settings, now: datetime | None = None) -> Verdict:
    """Look up the facts about ``sub`` (one query) and judge it by the rules."""
    return judge(sub, gather_facts(sub, settings, now or utcnow()), settings)


# --- the look-ups ------------------------------------------------------------------------


def gather_facts(sub: Submission, settings: Settings, now: datetime) -> Facts:
    """The commenter's history, blocklist hits and active bans, in one query."""
    facts = Facts()
    parameters = {
        "email": sub.email,
        "browser_key": sub.browser_key,
        "ip": normalise_ip(sub.ip_address),
        "article_id": sub.article_id,
        "body": sub.body,
        "since": now - settings.duplicate_window,
        "now": now,
        "email_domains": sorted(sub.email_domains),
        "any_domains": sorted(sub.email_domains | sub.link_domains),
        "phrases": sorted(sub.phrases),
    }
    # on the driver's cursor (newsroom/driver_sql.py): SQLAlchemy's path costs more than the query
    connection = db.session.connection()
    for source, kind, value in facts_query(connection.dialect.name).rows(connection, parameters):
        if source == "returning":
            facts.returning = True
        elif source == "duplicate":
            facts.duplicate = True
        elif source == "blocklist":
            facts.blocklisted.add((kind, value))
        else:
            facts.bans.add((kind, value))
    return facts
