"""An original, fictional demo newsroom: outlets, sections, stories and a conversation.

Every name, outlet and story here was written for this project.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from newsroom.comments.records import Decision, add_comment, record_decision
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, Outlet, Section
from newsroom.sanitizing import clean_article, clean_comment

OUTLETS = [
    {
        "name": "Valley Ledger",
        "slug": "valley-ledger",
        "homepage_url": "https://valley-ledger.example/",
        "licence": "Republished under the Valley Ledger community sharing agreement.",
        "credit_line": "Republished with permission of the Valley Ledger.",
    },
    {
        "name": "Northshore Gazette",
        "slug": "northshore-gazette",
        "homepage_url": "https://northshore-gazette.example/",
        "licence": "CC BY-ND 4.0, credit required.",
        "credit_line": "Shared under the Gazette's open newsroom licence.",
    },
]

SECTIONS = [
    {"name": "News", "slug": "news", "position": 1, "description": "What is happening around the harbour."},
    {"name": "Environment", "slug": "environment", "position": 2, "description": "Shores, fields and weather."},
    {"name": "Culture", "slug": "culture", "position": 3, "description": "Music, books and the people who make them."},
]

#: (days ago published or None for a draft, negative for scheduled), section, outlet, fields
ARTICLES = [
    (0.2, "news", None, {
        "slug": "ferry-timetable-changes-as-pier-repairs-begin",
        "headline": "Ferry timetable changes as pier repairs begin",
        "standfirst": "Morning crossings move to the east landing for six weeks while divers replace the old pilings.",
        "byline": "Mara Ellison",
        "body": "<p>The first ferry of the day will leave from the east landing from Monday, as repair crews start work on the pilings under the main pier.</p><p>The harbour office says the 7:10 and 7:40 crossings keep their times, but passengers should allow ten extra minutes to walk round the boatyard.</p><h2>What changes</h2><ul><li>Morning sailings: east landing</li><li>Afternoon sailings: main pier, as now</li><li>Bicycles: on every crossing</li></ul>",
    }),
    (1, "environment", "valley-ledger", {
        "slug": "orchard-growers-test-frost-fans-run-on-community-solar",
        "headline": "Orchard growers test frost fans run on community solar",
        "standfirst": "Three farms in the upper valley share one battery bank to keep blossom alive on cold spring nights.",
        "original_author": "Jonas Whitcombe",
        "original_url": "https://valley-ledger.example/2026/11/orchard-frost-fans",
        "body": "<p>When the thermometer dips below freezing in April, the upper valley's apple growers used to light smudge pots. This year three of them will switch on electric fans instead, drawing on a battery bank charged by the co-operative's solar field.</p><blockquote><p>We lose a crop one year in five to a single cold night,</p></blockquote><p>said one grower, who has kept bees among the trees for a decade.</p>",
    }),
    (2, "culture", None, {
        "slug": "library-night-reading-room-opens-to-shift-workers",
        "headline": "Library's night reading room opens to shift workers",
        "standfirst": "Nurses, bakers and dock crews get a quiet room with lamps and tea until two in the morning.",
        "byline": "Ines Calloway",
        "body": "<p>The town library has opened its old map room after hours for people who finish work late. A volunteer rota keeps it staffed, and the tea is free.</p><p>Borrowing works as in the daytime, with a returns box by the door.</p>",
    }),
    (3, "environment", "northshore-gazette", {
        "slug": "tidal-pools-reopen-after-sea-star-survey",
        "headline": "Tidal pools reopen after a two-year sea star survey",
        "standfirst": "Volunteers counted every sea star on the north reef; the numbers are finally climbing.",
        "original_author": "Priya Lindqvist",
        "original_url": "https://northshore-gazette.example/reef/sea-star-survey-ends",
        "body": "<p>The rope fences are down at the north reef. For two years, volunteers in waders counted and photographed sea stars at low tide, after a wasting disease emptied the pools.</p><p>The final count found more young stars than at any point since the survey began. Visitors are asked to look without lifting.</p>",
    }),
    (4, "culture", "valley-ledger", {
        "slug": "volunteer-choir-fills-the-old-grain-hall",
        "headline": "Volunteer choir fills the old grain hall",
        "standfirst": "Sixty singers, one upright piano and a building that has not heard music in forty years.",
        "original_author": "Tomasz Reyes",
        "original_url": "https://valley-ledger.example/2026/11/grain-hall-choir",
        "body": "<p>The grain hall's acoustics surprised everyone, the conductor included. The choir, formed last winter from a notice pinned in the post office, now rehearses there every Thursday.</p>",
    }),
    (5, "news", None, {
        "slug": "council-weighs-quieter-rule-for-leaf-blowers",
        "headline": "Council weighs a quieter rule for leaf blowers",
        "standfirst": "A proposal would limit petrol blowers to weekday mornings from next autumn.",
        "byline": "Mara Ellison",
        "body": "<p>Councillors will vote next month on a rule that keeps petrol leaf blowers to weekday mornings. Battery models would be exempt.</p><p>Residents can send comments to the council office until the end of the month.</p>",
    }),
    (None, "news", None, {
        "slug": "harbour-festival-line-up",
        "headline": "Harbour festival line-up",
        "standfirst": "Draft: waiting for the last two bands to confirm.",
        "byline": "Ines Calloway",
        "body": "<p>Draft text.</p>",
    }),
    (-2, "news", None, {
        "slug": "new-tide-gauge-goes-live",
        "headline": "New tide gauge goes live",
        "standfirst": "Scheduled: the harbour's new gauge starts publishing readings.",
        "byline": "Mara Ellison",
        "body": "<p>The gauge reports the water level every six minutes.</p>",
    }),
]

#: (key, parent key, status, name, email, minutes after publication, body)
COMMENTS = {
    "ferry-timetable-changes-as-pier-repairs-begin": [
        ("a", None, CommentStatus.APPROVED, "Gwen Harlow", "gwen.harlow@example.net", 30, "Thanks for the map of the east landing. Is the ramp there fine for a pushchair?"),
        ("b", "a", CommentStatus.APPROVED, "Harbour office", "office@harbour.example", 55, "Yes: the ramp was rebuilt last spring and has a handrail on both sides."),
        ("c", "b", CommentStatus.APPROVED, "Gwen Harlow", "gwen.harlow@example.net", 70, "Good to know, <em>thank you</em>."),
        ("d", None, CommentStatus.APPROVED, "Oskar Brandt", "oskar@example.org", 90, "Will the evening crossings move as well, or only mornings?"),
        ("e", None, CommentStatus.PENDING, "Lena Voss", "lena.voss@example.com", 120, "Six weeks seems optimistic. The last repair took three months."),
    ],
    "orchard-growers-test-frost-fans-run-on-community-solar": [
        ("a", None, CommentStatus.APPROVED, "Ruth Okafor", "ruth.okafor@example.net", 40, "We tried fans on our plot in 2024. They work best with a clear sky and no wind."),
        ("b", None, CommentStatus.PENDING, "Dev Pillai", "dev.pillai@example.org", 80, "How loud are they? Our house is right beside the orchard road."),
    ],
    "library-night-reading-room-opens-to-shift-workers": [
        ("a", None, CommentStatus.PENDING, "Sam Ortega", "sam.ortega@example.com", 15, "Finally somewhere to sit after a late shift that isn't the bus shelter."),
    ],
}

#: (article slug, comment key): the demo's editors' picks, featured an hour after they arrived.
PICKS = {("ferry-timetable-changes-as-pier-repairs-begin", "b")}


def load_demo(now: datetime) -> dict[str, int]:
    """Create whatever part of the demo newsroom is missing; the caller commits."""
    created = {"outlets": 0, "sections": 0, "articles": 0, "comments": 0}
    outlets, created["outlets"] = _by_slug(Outlet, OUTLETS)
    sections, created["sections"] = _by_slug(Section, SECTIONS)
    existing = set(db.session.scalars(select(Article.slug)))
    for days_ago, section_slug, outlet_slug, data in ARTICLES:
        if data["slug"] in existing:
            continue
        published = None if days_ago is None else now - timedelta(days=days_ago)
        article = Article(
            section=sections[section_slug],
            outlet=outlets.get(outlet_slug) if outlet_slug else None,
            published_at=published,
            original_published_at=published - timedelta(hours=5) if outlet_slug else None,
            feed_guid=data.get("original_url"),
            **{**data, "body": clean_article(data["body"])},
        )
        db.session.add(article)
        created["articles"] += 1
        created["comments"] += _add_comments(article, COMMENTS.get(data["slug"], []))
    return created


def _by_slug(model, rows: list[dict]) -> tuple[dict, int]:
    """Every ``model`` row by slug, after adding those of ``rows`` missing; how many were added."""
    found = {row.slug: row for row in db.session.scalars(select(model))}
    missing = [data for data in rows if data["slug"] not in found]
    for data in missing:
        found[data["slug"]] = model(**data)
        db.session.add(found[data["slug"]])
    return found, len(missing)


def _add_comments(article: Article, rows) -> int:
    by_key: dict[str, Comment] = {}
    for key, parent_key, status, name, email, minutes, body in rows:
        comment = add_comment(
            by_key.get(parent_key),
            article=article,
            status=status,
            author_name=name,
            author_email=email,
            body=clean_comment(body),
            created_at=article.published_at + timedelta(minutes=minutes),
            ip_address="192.0.2.10",
            user_agent="Demo browser",
            held_reasons=[] if status is CommentStatus.APPROVED else ["pre-moderation"],
        )
        record_decision(comment, Decision.NEW, status, "demo data")
        if (article.slug, key) in PICKS:
            comment.featured_at = comment.created_at + timedelta(hours=1)
            record_decision(comment, status, Decision.FEATURED, "demo data")
        by_key[key] = comment
    return len(rows)
