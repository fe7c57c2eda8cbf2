"""The desk in plain words: why a comment was held, what an audit entry means, in whose zone."""
from __future__ import annotations

import re

from flask import current_app

from newsroom.comments import policy
from newsroom.comments.records import AuditAction
from newsroom.models import BlocklistKind, Comment
from newsroom.templating import plain_value

_NUMBERS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
_LINK = re.compile(r"<a\s", re.IGNORECASE)
_KIND_WORDS = {"word": "word or phrase", "email": "email address", "ip": "IP address",
               "domain": "email domain"}
_REASONS = {
    policy.PRE_MODERATION: "First comment from this email address: it waits for a moderator",
    policy.HONEYPOT: "The hidden field that only robots fill in was filled in",
    policy.MISSING_FORM_TOKEN: "Sent without the form's signed token (not from our page?)",
    policy.DUPLICATE: "The same text from the same email on this story, minutes apart",
}
_AUDIT_ACTIONS = {
    AuditAction.BAN: "Ban", AuditAction.LIFT_BAN: "Ban lifted",
    AuditAction.BLOCKLIST_ADD: "Added to the blocklist",
    AuditAction.BLOCKLIST_REMOVE: "Removed from the blocklist",
    AuditAction.DELETE_COMMENT: "Comment deleted", AuditAction.COMMENTER_EXPORT: "Commenter's data exported",
    AuditAction.COMMENTER_ERASE: "Commenter's data erased",
    AuditAction.PURGE_OLD_DATA: "Old IP addresses and user agents cleared",
}
#: Detail keys the audit log shows, with their labels; ids and hashes stay in the database.
_DETAIL_LABELS = {"reason": "Reason", "expires_at": "Until", "author_name": "By",
                  "article_headline": "On", "status": "Was", "excerpt": "Text",
                  "created_at": "Written", "comments": "Comments", "days": "Older than (days)"}


#: The audit log's "what" filter: decisions by the status they set, then the other actions.
AUDIT_ACTIONS = (
    ("approved", "Approved"), ("rejected", "Rejected"), ("spam", "Marked as spam"),
    ("pending", "Back to pending"), ("deleted", "Deleted"), ("hidden", "Hidden after reports"),
    ("featured", "Featured (editors' pick)"), ("unfeatured", "No longer an editors' pick"),
    *((action.value, label) for action, label in _AUDIT_ACTIONS.items()
      if action is not AuditAction.DELETE_COMMENT),
)


def count_word(number: int) -> str:
    """'Three' for 3; digits from 11 on."""
    return _NUMBERS[number] if 0 <= number < len(_NUMBERS) else f"{number:,}"


def held_reason(code: str, comment: Comment) -> str:
    """One stored hold reason (``too-many-links``) as a sentence a moderator reads at a glance."""
    if code == policy.TOO_MANY_LINKS:
        allowed = current_app.config["COMMENT_MAX_LINKS"]
        links = len(_LINK.findall(comment.body or ""))
        if links <= allowed:  # the text was changed since, or the links were in plain text
            return f"More links than the {allowed} allowed"
        return f"{count_word(links)} links — more than the {allowed} allowed"
    if code == policy.TOO_FAST:
        seconds = current_app.config["COMMENT_MIN_SECONDS"]
        return f"Sent less than {seconds} seconds after the form was shown"
    for prefix, verb in (("blocklisted-", "On the blocklist"), ("banned-", "Banned")):
        if code.startswith(prefix):
            kind = code.removeprefix(prefix)
            return f"{verb}: its {_KIND_WORDS.get(kind, kind)}"
    return _REASONS.get(code, code.replace("-", " ").capitalize())


def change_words(from_status: str, to_status: str) -> str:
    """A decision in words: 'Approved (was pending)', 'Arrived: pending'."""
    labels = dict(AUDIT_ACTIONS)
    if from_status == "new":
        return f"Arrived, {to_status}"
    if to_status in ("featured", "unfeatured"):  # a pick leaves the status as it was
        return labels[to_status]
    return f"{labels.get(to_status, to_status.capitalize())} (was {from_status})"


def audit_action(action: str) -> str:
    """An audit entry's action in words ("Ban lifted")."""
    return _AUDIT_ACTIONS.get(action, action.replace("-", " ").capitalize())


def kind_words(kind) -> str:
    """A ban's or blocklist entry's kind in words: "IP address" for ``ip``."""
    value = getattr(kind, "value", kind)
    return _KIND_WORDS.get(value, value)


def audit_subject(subject: str) -> str:
    """What an entry is about, as stored ("ip 192.0.2.9"), in words ("IP address 192.0.2.9")."""
    kind, _, value = subject.partition(" ")
    return f"{kind_words(kind)} {value}" if kind in _KIND_WORDS and value else subject


def audit_details(detail: dict | None) -> list[tuple[str, str]]:
    """The parts of an audit entry's detail worth reading, as (label, words) pairs."""
    shown = []
    for key, label in _DETAIL_LABELS.items():
        value = (detail or {}).get(key)
        if value in (None, "", [], {}):
            continue
        shown.append((label, plain_value(value)))
    return shown


def blocklist_tab(kind: BlocklistKind) -> str:
    """A blocklist tab's label: 'Words', 'Email addresses', 'IP addresses', 'Domains'."""
    return {"word": "Words and phrases", "email": "Email addresses", "ip": "IP addresses",
            "domain": "Email domains"}[kind.value]



_REPORT_REASONS = {"spam": "Spam", "abuse": "Abuse", "off-topic": "Off-topic",
                   "illegal": "Illegal content", "other": "Other"}


def report_reason(reason) -> str:
    """A reader's reason for a report, as the desk shows it ("Illegal content")."""
    value = getattr(reason, "value", reason)
    return _REPORT_REASONS.get(value, str(value).capitalize())
