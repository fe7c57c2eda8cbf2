"""A small newsroom for the distribution tests: own, syndicated, draft, scheduled, noindex."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from newsroom.extensions import db
from newsroom.models import Article, Outlet, SeoPolicy, Section, utcnow


@dataclass
class Newsroom:
    section: Section
    other_section: Section
    outlet: Outlet
    own: Article
    syndicated: Article
    draft: Article
    scheduled: Article
    hidden: Article  #: from an outlet whose SEO policy is noindex


@pytest.fixture
def newsroom(make) -> Newsroom:
    section = make.section("Harbour", slug="harbour", description="News from the quays.")
    other = make.section("Culture", slug="culture")
    outlet = make.outlet("Valley Ledger", slug="valley-ledger",
                         homepage_url="https://ledger.example/",
                         feed_url="https://ledger.example/feed")
    quiet = make.outlet("Quiet Post", slug="quiet-post", homepage_url="https://quiet.example/",
                        seo_policy=SeoPolicy.NOINDEX)
    own = make.article(
        "Tide gauge gets a new home", slug="tide-gauge", section=section, byline="Mira Holt",
        standfirst="The old gauge moves to the north pier.",
        body="<p>The gauge <strong>moves</strong> on Monday &amp; stays.</p>",
        image_url="https://img.example/gauge.jpg", image_caption="The gauge",
    )
    syndicated = make.syndicated_article(
        outlet, headline="Orchard frost fans tested", slug="orchard-frost-fans", section=other,
        standfirst="Growers try solar-powered fans.", body="<p>Fans spun all night.</p>",
        original_url="https://ledger.example/stories/frost-fans", original_author="Ada Quill",
    )
    syndicated.published_at = utcnow() - timedelta(hours=2)
    draft = make.article("Unfinished draft story", slug="draft-story", section=section,
                         published=False)
    scheduled = make.article("Scheduled future story", slug="future-story", section=section,
                             published=utcnow() + timedelta(days=1))
    hidden = make.syndicated_article(quiet, headline="Quiet outlet story", slug="quiet-story",
                                     section=section)
    hidden.published_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    return Newsroom(section, other, outlet, own, syndicated, draft, scheduled, hidden)
