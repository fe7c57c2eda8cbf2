"""Export files for the importer tests, and a helper that runs an import command."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import (
    Article, ArticleRevision, Comment, ImportedItem, LegacyRedirect, ModerationDecision, Section,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
WXR = FIXTURES / "valley-ledger.wxr"
DISQUS = FIXTURES / "valley-ledger-disqus.xml"
#: Every imported commenter's address carries this token, so a leak is easy to find.
LEAK_TOKEN = "imp0rtleak"
TABLES = (Article, ArticleRevision, Comment, ImportedItem, LegacyRedirect, ModerationDecision,
          Section)


@pytest.fixture
def run_import(runner):
    """``run_import("wordpress", path, *options)``: the CLI result, output checked for emails."""

    def run(kind: str, path: os.PathLike | str, *options: str):
        result = runner.invoke(args=["import", kind, str(path), *options])
        db.session.remove()  # the command's session is done; tests read afresh
        assert LEAK_TOKEN not in result.output
        return result

    return run


@pytest.fixture
def imported(app, run_import):
    """The Valley Ledger WordPress export, imported once."""
    result = run_import("wordpress", WXR)
    assert result.exit_code == 0, result.output
    return result


def table_counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in TABLES}


def article(slug: str) -> Article:
    return db.session.scalars(select(Article).where(Article.slug == slug)).one()


def comment_by(name: str) -> Comment:
    return db.session.scalars(select(Comment).where(Comment.author_name == name)).one()


def rewrite(tmp_path: Path, source: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of ``source`` with each (old, new) replaced; fails if ``old`` is not there."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path
