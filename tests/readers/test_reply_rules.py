"""The reply POST's fast path accepts exactly what the reply form accepts, with the same data.

``newsroom.readers.forms._checked_by_its_rules`` runs the form class's own filters, validators
and ``validate_<name>`` methods without building the form; these tests build the form beside
it for thousands of submissions, valid and not, and compare.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from newsroom.readers.forms import (
    BODY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    WEBSITE_MAX,
    CommentForm,
    _checked_by_its_rules,
)

FIELDS = ("name", "email", "website", "body", "notify", "parent_id", "form_token", "company",
          "remember")

SPACE = st.sampled_from(["", " ", "  ", "\t", "\n", "\r\n", "\u00a0"])
WORD = st.sampled_from(["Gwen", "Harlow", "ferry", "東京", "Ærø", "x", "_", "!", "\u200b"])


def sized(limit: int):
    """Text around ``limit`` characters: just under, at and just over it."""
    return st.integers(limit - 2, limit + 2).map(lambda n: "a" * n)


TEXT = st.one_of(
    st.lists(st.one_of(WORD, SPACE), max_size=6).map("".join),
    st.text(max_size=12),
)
EMAIL = st.one_of(
    st.sampled_from(["gwen@example.net", " gwen@example.net ", "GWEN@Example.NET", "gwen@",
                     "@example.net", "gwen@example", "gwen@@example.net", "ærø@example.dk",
                     "gwen@xn--r-1ga.dk", "gwen@localhost", "a b@example.net", "gwen@[127.0.0.1]",
                     "gwen.@example.net", '"gwen"@example.net', "gwen@exa_mple.net"]),
    st.integers(EMAIL_MAX - 14, EMAIL_MAX - 8).map(
        lambda n: "a" * 60 + "@" + "b" * (n - 60) + ".example.net"),
    TEXT,
)
WEBSITE = st.one_of(
    st.sampled_from(["", " ", "https://gwen.example", "http://gwen.example/a?b",
                     "HTTPS://X.EXAMPLE", "javascript:alert(1)", "ftp://gwen.example",
                     "gwen.example", "//gwen.example", " https://gwen.example ", "https:",
                     "mailto:gwen@example.net"]),
    sized(WEBSITE_MAX).map(lambda s: "https://" + s[8:]),
    TEXT,
)
PARENT = st.sampled_from(["", "1", "42", "0", "007", "²", "٣", "2147483647", "2147483648",
                          "99999999999", "-1", " 5", "x"])
FLAG = st.sampled_from(["y", "", "false", "False", "on", "0"])


def value(strategy):
    return st.one_of(st.none(), strategy)


SUBMISSION = st.fixed_dictionaries({
    "name": value(st.one_of(TEXT, sized(NAME_MAX))),
    "email": value(EMAIL),
    "website": value(WEBSITE),
    "body": value(st.one_of(TEXT, sized(BODY_MAX), st.just("One.\r\n\r\nTwo.\r\n"))),
    "notify": value(FLAG),
    "parent_id": value(PARENT),
    "form_token": value(TEXT),
    "company": value(TEXT),
    "remember": value(FLAG),
})


#: Mostly what a reader sends: every required field there, the odd one wrong.
LIKELY = SUBMISSION.flatmap(lambda fields: st.fixed_dictionaries({
    **{name: st.just(text) for name, text in fields.items()},
    "name": st.one_of(st.lists(WORD, min_size=1, max_size=4).map(" ".join), sized(NAME_MAX)),
    "email": st.sampled_from(["gwen@example.net", " GWEN@Example.NET ", "ærø@example.dk",
                              "gwen.h+news@mail.example.org", "gwen@", "gwen@localhost"]),
    "body": st.one_of(st.lists(WORD, min_size=1, max_size=8).map(" ".join),
                      st.just("One.\r\n\r\nTwo.\r\n"), sized(BODY_MAX)),
}))


#: The app fixture is built once per test, not per example: nothing in it changes.
NO_CHECK = [HealthCheck.function_scoped_fixture]


def compare(app, submission: dict) -> tuple[object, CommentForm, bool]:
    formdata = MultiDict([(key, text) for key, text in submission.items() if text is not None])
    with app.test_request_context(method="POST"):
        fast = _checked_by_its_rules(CommentForm, formdata)
        form = CommentForm(formdata=formdata, meta={"csrf": False})
        return fast, form, form.validate()


@settings(max_examples=2500, deadline=None, suppress_health_check=NO_CHECK)
@given(submission=SUBMISSION)
def test_the_fast_path_accepts_what_the_form_accepts_with_the_same_data(app, submission):
    fast, form, valid = compare(app, submission)
    event("valid" if valid else "refused")
    assert (fast is not None) == valid, (submission, form.errors)
    if fast is not None:
        for name in FIELDS:
            assert getattr(fast, name).data == form[name].data, name


@settings(max_examples=2500, deadline=None, suppress_health_check=NO_CHECK)
@given(submission=LIKELY)
def test_the_same_for_submissions_that_are_mostly_right(app, submission):
    test_the_fast_path_accepts_what_the_form_accepts_with_the_same_data.hypothesis.inner_test(
        app, submission)


@pytest.mark.parametrize("changes, valid", [
    ({}, True),
    ({"name": "   "}, False),
    ({"name": "a" * NAME_MAX}, True),
    ({"name": "a" * (NAME_MAX + 1)}, False),
    ({"email": "gwen@"}, False),
    ({"website": "javascript:alert(1)"}, False),
    ({"website": ""}, True),
    ({"parent_id": "²"}, False),
    ({"body": "a" * (BODY_MAX + 1)}, False),
])
def test_examples_either_way(app, changes, valid):
    submission = {"name": " Gwen Harlow ", "email": "gwen@example.net",
                  "website": "https://gwen.example", "body": "Line one.\r\nLine two. ",
                  "notify": "y", "parent_id": "", **changes}
    fast, form, form_valid = compare(app, submission)
    assert form_valid is valid and (fast is not None) is valid
    if valid and not changes:
        assert fast.name.data == "Gwen Harlow" and fast.body.data == "Line one.\nLine two."
        assert fast.notify.data is True and fast.remember.data is False
