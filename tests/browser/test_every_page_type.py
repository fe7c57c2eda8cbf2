"""Every HTML page type the app serves, taken from its url_map, at 390 and 1366 px.

The list of pages is tests/test_security_headers.py's GET_PAGES, which that file keeps equal to
the url_map; every route there either answers HTML (and is checked here) or is named in
NOT_HTML (and checked not to). The error pages (400 refused forms, 403, 404, 405) are added.
Each page must: fit the screen, its filters folded away on a phone; pass axe-core (WCAG 2.2
A/AA and best practice: target-size among them); be valid HTML to the Nu checker; show every
date in NEWSROOM_TIMEZONE with the zone named and no ISO stamp, ``None`` or ``True``; and
after a refused form, say "Error: " in its title.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from newsroom.content.corrections import add_correction
from newsroom.editors.services import publish_now, record
from newsroom.extensions import db
from newsroom.models import (
    Article, BanKind, Comment, CommentReport, CommentStatus, CorrectionKind, Licence,
    ReportReason, Role, utcnow,
)
from newsroom.moderation import actions, featuring
from tests import factories
from tests.browser import nu_checker
from tests.test_security_headers import GET_PAGES, site  # noqa: F401  (the fixture)

WIDTHS = {390: 844, 1366: 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
ZONE, ZONE_NAME, OFFSET = "Asia/Tokyo", "JST", "+09:00"  # far from UTC: a UTC date shows
PASSWORD = "lanterns along the harbour"

#: Routes that answer something other than an HTML page (feeds, JSON, files, health).
NOT_HTML = {
    "readers.session_form", "distribution.comments_rss", "distribution.rss", "distribution.atom",
    "distribution.section_rss", "distribution.section_atom", "distribution.sitemap",
    "distribution.news_sitemap", "distribution.robots", "api.articles", "api.article",
    "api.article_comments", "api.openapi", "api.outlets", "api.sections", "static",
    "health.healthz", "editors.media_choices", "media.file",
}
#: HTML pages a reader (signed out) is meant to see; the rest are staff pages.
SIGNED_OUT = ("readers.", "auth.login", "accounts.forgot", "accounts.reset",
              "accounts.accept_invitation", "subscriptions.")
#: Words that mean a value reached the page raw: a repr, an ISO stamp, a label made from a name.
RAW = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\bIps\b|\bip \d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d|"
                 r"<\w+ object at|\{'|\bUTC\b|\+00:00")
CLOCK = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b(?!\s*(?:" + ZONE_NAME + r"|[ap]m))")
LOOK = """() => {
  const filters = document.querySelectorAll(
    "form.desk-filters:not(.compare-form), form.audit-filters");
  const unfolded = [...filters].filter(form => !form.closest("details:not([open])")).length;
  for (const details of document.querySelectorAll("details")) { details.open = true; }
  const words = el => [...(el.labels || [])].map(label => label.innerText).concat(
    (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).innerText || "")).join(" ");
  return {text: document.body.innerText, unfolded,
          wide: document.documentElement.scrollWidth,
          typed: [...document.querySelectorAll("input[type=datetime-local], input[type=time]")]
            .map(el => ({name: el.name, words: words(el)})),
          times: [...document.querySelectorAll("time[datetime]")].map(t => t.getAttribute("datetime"))};
}"""


@pytest.fixture
def app(make_app, tmp_path):
    """CSRF on, the site in Tokyo's time; every page type has something to show."""
    app = make_app(WTF_CSRF_ENABLED=True, TIMEZONE=ZONE, MEDIA_DIR=str(tmp_path / "media"))
    with app.app_context():
        yield app


@pytest.fixture
def pages(app, site):  # noqa: F811  (the fixture imported above)
    """GET_PAGES filled in, after adding what the history, rights and audit pages show."""
    admin = factories.user(Role.ADMIN, email="every.page@newsroom.example", password=PASSWORD,
                           name="Ada Keel")
    factories.user(Role.MODERATOR, email="only.moderator@newsroom.example", password=PASSWORD)
    article = db.session.get(Article, site["article_id"])
    now = utcnow()
    article.licence, article.credit_line = Licence.PERMISSION, "Republished with permission."
    article.embargo_until, article.expires_at = now - timedelta(days=1), now + timedelta(days=60)
    record(article, admin, "rights edited", {"expires_at": [None, article.expires_at.isoformat()]})
    publish_now(article, admin, now)
    add_correction(article, CorrectionKind.CORRECTION, "The ferry leaves at six.", admin, now)
    comment = db.session.get(Comment, site["approved_comment"])
    actions.set_status(comment, CommentStatus.REJECTED, admin, "Off topic")
    actions.undo_decision(comment, admin)
    featuring.feature(comment, admin, "A first-hand account")
    db.session.add(CommentReport(comment=comment, reason=ReportReason.ABUSE, details="Rude.",
                                 reporter_key="1" * 64, reporter_ip="1" * 64))
    actions.create_ban(BanKind.EMAIL, "flood@readers.example", admin, reason="flooding",
                       expires_at=now + timedelta(days=30))
    actions.create_ban(BanKind.IP, "192.0.2.9", admin, expires_at=now - timedelta(days=1))
    actions.add_blocklist_entry(actions.BlocklistKind.IP, "198.51.100.7", admin)
    draft = factories.article("Harbour notes", slug="harbour-notes", published=False)
    db.session.commit()
    app.config["_draft"] = f"/editor/articles/{draft.id}"  # offers the schedule form
    app.config["_lists"] = [  # the same page types showing other rows, and narrowed
        "/moderation/?status=all", "/moderation/?status=reported",
        "/moderation/?status=approved&picks=1", f"/moderation/audit?moderator={admin.id}",
        "/moderation/bans?show=past", "/moderation/blocklist?kind=ip", "/editor/?state=published",
        f"/editor/?state=drafts&q=harbour&section={site['section_id']}",
    ]
    return {endpoint: path.format(**site) for endpoint, path in GET_PAGES.items()}


def _open(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


class Checker:
    """Looks at each page as it comes and keeps what is wrong, and each page's served HTML."""

    def __init__(self, base: str, width: int):
        from axe_playwright_python.sync_playwright import Axe

        self.base, self.width, self.axe = base, width, Axe()
        self.problems: list[str] = []
        self.served: dict[str, bytes] = {}

    def look(self, page, name: str, response, status: int = 200) -> dict:
        assert response.status == status, f"{name}: {response.status}, not {status}"
        seen = page.evaluate(LOOK)
        where = f"{name} at {self.width}px"
        self.problems += [f"{where}: {seen['wide']} px wide"] * (seen["wide"] > self.width)
        folds = self.width < 500 and "?" not in page.url  # a narrowed list shows its filters
        self.problems += [f"{where}: filters not folded"] * (folds and seen["unfolded"])
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.response["passes"], f"axe checked nothing on {name}"
        self.problems += [f"{where}: axe {v['id']} {[n['target'] for n in v['nodes']][:3]}"
                          for v in results.response["violations"]]
        self.problems += [f"{where}: raw value {m!r}" for m in RAW.findall(seen["text"])]
        self.problems += [f"{where}: a time without its zone {m!r}"
                          for m in CLOCK.findall(seen["text"])]
        self.problems += [f"{where}: <time datetime={t!r}> is not in {ZONE}"
                          for t in seen["times"] if "T" in t and not t.endswith(OFFSET)]
        self.problems += [f"{where}: the {typed['name']} input does not name the zone"
                          for typed in seen["typed"] if ZONE_NAME not in typed["words"]]
        self.served[where] = response.body()
        return seen

    def refused(self, page, name: str, path: str, fill: dict[str, str]) -> None:
        """Type ``fill`` into the form holding its first field and submit it, the browser's
        own checks off: what is typed is what a browser could send, refused by the server."""
        page.goto(self.base + path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        form = page.locator(f"main form:has([name='{next(iter(fill))}'])").first
        form.evaluate("form => form.noValidate = true")
        for field, value in fill.items():
            target = form.locator(f"[name='{field}']").first
            if target.evaluate("el => el.tagName") == "SELECT":
                target.select_option(value)
            else:
                target.evaluate("el => el.removeAttribute('maxlength')")
                target.fill(value)
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").last.click()
        self.look(page, f"{name} refused", navigation.value, status=400)
        if not page.title().startswith("Error: "):
            self.problems.append(f"{name} refused at {self.width}px: title {page.title()!r}")


def _refusals(pages: dict[str, str], draft: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, page, what to type) for each staff form: every one of these is refused."""
    return [
        ("new story", pages["editors.new_article"], {"headline": ""}),
        ("schedule", draft, {"publish_at": "2020-01-01T10:00"}),
        ("rights", pages["editors.article_rights"], {"licence": Licence.OTHER.value,
                                                     "licence_text": ""}),
        ("correction", pages["editors.corrections"], {"text": ""}),
        ("new outlet", pages["editors.new_outlet"], {"name": "", "homepage_url": ""}),
        ("outlet edit", pages["editors.edit_outlet"], {"homepage_url": "ftp://files.example"}),
        ("new section", pages["editors.new_section"], {"name": ""}),
        ("section edit", pages["editors.edit_section"], {"name": ""}),
        ("ban", pages["moderation.ban"], {"days": "0"}),
        ("staff reply", pages["moderation.reply"], {"body": ""}),
        ("blocklist", pages["moderation.blocklist"], {"value": ""}),
        ("profile", pages["accounts.account"], {"name": "x" * 300}),
        ("password change", pages["accounts.account"], {"current_password": "wrong"}),
        ("invitation", pages["admin.invitations"], {"email": "noor@localhost"}),
        ("upload", pages["editors.upload_media"], {"alt": ""}),
    ]


def test_every_route_is_html_checked_here_or_named_as_not_html(app, pages):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert set(pages) == routes and NOT_HTML < routes


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_passes_axe_is_valid_and_keeps_one_clock(
    live_server, browser, app, pages, width
):
    check, reader = Checker(live_server, width), _open(browser, width)
    try:
        for endpoint, path in sorted(pages.items()):
            if endpoint not in NOT_HTML and endpoint.startswith(SIGNED_OUT):
                check.look(reader, endpoint, reader.goto(live_server + path))
        check.look(reader, "404", reader.goto(f"{live_server}/articles/no-such-story"), 404)
        check.look(reader, "405", reader.goto(f"{live_server}{pages['readers.article']}/comments"),
                   405)
        check.refused(reader, "reader's comment", pages["readers.article"], {"body": ""})
        check.refused(reader, "report", pages["readers.report_comment"], {"details": ""})
        check.refused(reader, "sign-in", "/login", {"email": "nobody@newsroom.example",
                                                   "password": "wrong"})
        moderator = _open(browser, width)
        _sign_in(moderator, live_server, "only.moderator@newsroom.example")
        seen = check.look(moderator, "403", moderator.goto(f"{live_server}/editor/"), 403)
        assert re.search(r"\beditors?\b", seen["text"], re.I), seen["text"]  # the role needed
        moderator.context.close()

        staff = _open(browser, width)
        _sign_in(staff, live_server, "every.page@newsroom.example")
        for endpoint, path in sorted(pages.items()):
            if endpoint in NOT_HTML:  # staff may see every one of them
                answer = staff.request.get(live_server + path, max_redirects=0)
                assert answer.status == 200, endpoint
                assert "text/html" not in answer.headers.get("content-type", ""), endpoint
            elif not endpoint.startswith(SIGNED_OUT):
                check.look(staff, endpoint, staff.goto(live_server + path))
        for path in app.config["_lists"]:
            check.look(staff, path, staff.goto(live_server + path))
        for name, path, fill in _refusals(pages, app.config["_draft"]):
            check.refused(staff, name, path, fill)
        staff.context.close()
    finally:
        reader.context.close()
    problems = check.problems + nu_checker.errors(check.served)
    assert problems == [], "\n".join(problems)
