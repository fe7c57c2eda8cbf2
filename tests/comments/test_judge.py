"""The policy's verdicts from given facts, without a database: outcomes and their order."""
from __future__ import annotations

from datetime import timedelta

import pytest

from newsroom.comments import policy
from newsroom.comments.policy import Facts, Settings, Submission, judge
from newsroom.models import CommentStatus

SETTINGS = Settings(min_seconds=3, max_links=2, duplicate_window=timedelta(minutes=10))


def submission(**fields) -> Submission:
    values = dict(
        article_id=1, name="Ivo Penhale", email="ivo@example.org", website="",
        body="<p>Plain words.</p>", ip_address="192.0.2.1", form_age=30.0,
    )
    return Submission(**{**values, **fields})


@pytest.mark.parametrize(
    "sub, facts, status, reasons",
    [
        (submission(), Facts(), CommentStatus.PENDING, ["pre-moderation"]),
        (submission(), Facts(returning=True), CommentStatus.APPROVED, []),
        (submission(honeypot="x"), Facts(returning=True), CommentStatus.SPAM, ["honeypot"]),
        (submission(form_age=1.0), Facts(returning=True), CommentStatus.PENDING, ["too-fast"]),
        (
            submission(form_age=None), Facts(returning=True),
            CommentStatus.PENDING, ["missing-form-token"],
        ),
        (
            submission(),
            Facts(returning=True, bans={("email", "ivo@example.org"), ("ip", "192.0.2.1")}),
            CommentStatus.SPAM, ["banned-email", "banned-ip"],
        ),
        (
            submission(), Facts(blocklisted={("domain", "example.org")}),
            CommentStatus.SPAM, ["blocklisted-domain", "pre-moderation"],
        ),
    ],
)
def test_the_worst_outcome_wins_and_every_reason_is_kept(sub, facts, status, reasons):
    verdict = judge(sub, facts, SETTINGS)
    assert (verdict.status, verdict.reasons, verdict.refused) == (status, reasons, False)


def test_a_duplicate_is_refused_above_everything():
    verdict = judge(submission(honeypot="x"), Facts(duplicate=True), SETTINGS)
    assert verdict.refused
    assert verdict.reasons[0] == "duplicate"


def test_rules_are_data_a_deployment_can_rearrange():
    only_links = ((policy.too_many_links, policy.Outcome.SPAM),)
    body = " ".join(f'<a href="https://{n}.example">{n}</a>' for n in range(3))
    verdict = judge(submission(body=body), Facts(), SETTINGS, rules=only_links)
    assert (verdict.status, verdict.reasons) == (CommentStatus.SPAM, ["too-many-links"])
    assert judge(submission(), Facts(), SETTINGS, rules=()).status is CommentStatus.APPROVED


def test_the_submission_reads_links_words_and_domains_from_sanitised_html():
    sub = submission(
        name="Ivo",
        email="ivo@Mail.Example.org".lower(),
        website="https://blog.ivo.example/",
        body='<p>See <a href="https://a.shop.example/x">a shop</a> or https://b.example now;'
        " write to sales@c.example.</p>",
    )
    assert sub.links == ["https://a.shop.example/x", "https://b.example"]
    assert {"see", "a shop", "or https b", "ivo"} <= sub.phrases
    assert sub.email_domains == {"mail.example.org", "example.org", "org"}
    expected = {"a.shop.example", "shop.example", "b.example", "c.example", "blog.ivo.example"}
    assert expected <= sub.link_domains


def test_settings_come_from_the_config():
    settings = Settings.from_config(
        {
            "COMMENT_MIN_SECONDS": "5",
            "COMMENT_MAX_LINKS": "4",
            "COMMENT_DUPLICATE_WINDOW_MINUTES": 2,
            "COMMENT_PREMODERATION": False,
        }
    )
    assert settings == Settings(5.0, 4, timedelta(minutes=2), False)
