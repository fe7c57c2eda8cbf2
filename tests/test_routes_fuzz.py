"""Random path segments, query strings, form values and JSON bodies at every route: never a 5xx.

The routes are read from ``app.url_map``, so a route added later is covered without editing
this file. Each route gets a few examples, each sent signed out and signed in as an admin
(CSRF is off in tests, so POSTs reach their views). Hypothesis runs derandomized: the same examples on
every machine, so a failure here is reproducible rather than a flake.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom import create_app
from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, User
from tests import factories
from tests.conftest import test_config as config_for
from tests.helpers import sign_in_session

EXAMPLES_PER_ROUTE = 6
NASTY = ["\x00", "a\x00b", "\x01", "\x0b", "²", "٣", "2147483648", "9" * 20, "9" * 30, "-1",
         "0", "1", "", " ", "%", "../", "\u202e", "\ud800x"[1:], "<script>", "' OR 1=1 --",
         "x" * 300, "\ufffe", "\U0001f600", "http://127.0.0.1/", "pending", "approve"]
FIELDS = ["name", "email", "website", "body", "parent_id", "form_token", "company", "reason",
          "details", "value", "kind", "password", "ids", "action", "headline", "slug", "standfirst",
          "section_id", "outlet_id", "feed_url", "homepage_url", "publish_at", "next", "q", "page",
          "status", "expires", "duration", "note", "position", "seo_policy", "version"]
ARGS = ["page", "cpage", "per_page", "after", "before", "status", "q", "article", "email", "ip",
        "state", "outlet", "section", "kind", "show", "next", "replyto", "format"]
#: What a number in a URL is tried with most: the forms that once reached the database.
NUMBERS = ["2147483648", "9" * 20, "9" * 30, "²", "٣", "0", "-1", "1\x00"]
_PART = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def _routes() -> list[tuple[str, str]]:
    app = create_app(config_for("sqlite://"))
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
values = st.one_of(st.sampled_from(NASTY), text, st.integers(-(2**63), 2**63).map(str))
#: A JSON body (the editor's autosave reads one) may also carry numbers, booleans and null.
json_values = st.one_of(values, st.integers(-(2**70), 2**70), st.booleans(), st.none())


@st.composite
def segments(draw, converter: str | None, options: str | None, known: list[str]):
    if converter == "any" and options and draw(st.booleans()):
        return draw(st.sampled_from([option.strip() for option in options.split(",")]))
    probes = NUMBERS if converter == "int" else NASTY
    return draw(st.one_of(st.sampled_from(known), st.sampled_from(probes), values))


def _path(draw, rule: str, known: dict[str, list[str]]) -> str:
    def fill(match: re.Match) -> str:
        pool = known["int" if match["converter"] == "int" else "slug"]
        value = draw(segments(match["converter"], match["options"], pool))
        return quote(value, safe="")

    return _PART.sub(fill, rule)


@pytest.fixture
def seeded(make_app):
    """An app with one of each thing a route can name, so some examples reach real rows.

    No app context stays open: each request gets its own, as in production (Flask-Login
    would otherwise keep the first request's user in ``g``).
    """
    app = make_app()
    with app.app_context():
        section = factories.section(slug="harbour")
        article = factories.article(section=section, slug="tide-gauge")
        comment = factories.comment(article, status=CommentStatus.PENDING)
        outlet = factories.outlet(slug="valley-ledger")
        admin = factories.user(Role.ADMIN)
        db.session.commit()
        ids = [str(obj.id) for obj in (section, article, comment, outlet)]
        return app, {"int": ids, "slug": ["harbour", "tide-gauge", "valley-ledger"]}, admin.id


def _client(app, admin_id: int, signed_in: bool):
    """A fresh browser, signed out or holding the admin's session."""
    client = app.test_client()
    if signed_in:
        with app.app_context():
            user_id = db.session.get(User, admin_id).get_id()
        sign_in_session(client, user_id)
    return client


def test_the_signed_in_probes_really_reach_the_staff_views(seeded):
    """Otherwise every staff route would only ever answer the signed-out redirect."""
    app, _known, admin_id = seeded
    for path in ("/admin/jobs", "/editor/", "/moderation/"):
        assert _client(app, admin_id, True).get(path).status_code == 200
        assert _client(app, admin_id, False).get(path).status_code == 302


@pytest.mark.parametrize("rule, method", _routes())
def test_no_route_answers_5xx_to_random_input(seeded, rule, method):
    app, known, admin_id = seeded

    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def probe(data):
        path = _path(data.draw, rule, known)
        query = data.draw(st.dictionaries(st.sampled_from(ARGS) | text, values, max_size=3))
        url = f"{path}?{urlencode(query)}" if query else path
        as_json = method == "POST" and data.draw(st.booleans())
        form = data.draw(st.dictionaries(st.sampled_from(FIELDS) | text,
                                         json_values if as_json else values, max_size=6))
        body = {"json": form} if as_json else {"data": form if method == "POST" else None}
        for signed_in in (False, True):
            client = _client(app, admin_id, signed_in)
            response = client.open(url, method=method, **body)
            assert response.status_code < 500, (signed_in, method, url, body, response.status_code)

    probe()
