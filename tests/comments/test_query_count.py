"""A reply POST makes the same small number of queries whatever the size of the tables."""
from __future__ import annotations

from newsroom.comments.intake import form_token
from newsroom.extensions import db
from newsroom.models import Ban, BanKind, BlocklistEntry, BlocklistKind, CommentStatus
from tests.comments.conftest import REPLY, comments
from tests.helpers import recorded_statements


def grow(make, article, size: int) -> None:
    """``size`` comments (some from the replying reader), bans and blocklist entries more."""
    start = len(comments())
    for n in range(start, start + size):
        status = CommentStatus.APPROVED if n % 2 else CommentStatus.PENDING
        email = REPLY["email"] if n % 5 == 0 else f"reader{n}@example.net"
        make.comment(article, status=status, author_email=email, body=f"Earlier reply {n}.")
        db.session.add(Ban(kind=BanKind.IP, value=f"10.0.{n // 250}.{n % 250}"))
        db.session.add(BlocklistEntry(kind=BlocklistKind.WORD, value=f"spamword{n}"))
    db.session.commit()


def queries_for_a_reply(count_queries, reply, article, body) -> list[str]:
    token = form_token(article)
    with count_queries() as queries:
        assert reply(article, body=body, form_token=token).status_code == 303
    return queries


def test_a_reply_makes_a_fixed_number_of_queries(make, reply, count_queries):
    article = make.article()
    grow(make, article, 10)
    few = queries_for_a_reply(count_queries, reply, article, "First reply, https://link.example.")
    grow(make, article, 500)
    many = queries_for_a_reply(count_queries, reply, article, "Second reply, https://link.example.")
    assert len(few) == len(many), "\n".join(many)
    # the article (one row, with its count of shown threads, which gives the comment page the
    # reader lands on); the policy's look-ups (one UNION); the comment; its decision. The reply
    # waits for moderation, so the article's comments counter is not raised (no UPDATE).
    assert len(many) == 4, "\n".join(many)
    assert [verb(statement) for statement in many] == [
        "SELECT", "SELECT", "INSERT INTO comments", "INSERT INTO moderation_decisions"]


def verb(statement: str) -> str:
    words = statement.split()
    return " ".join(words[:3]) if words[0] == "INSERT" else words[0]


def test_the_write_lock_is_held_for_the_two_inserts_alone(make, reply, app):
    """SQLite has one writer: from a POST's first INSERT to its COMMIT every other POST waits,
    so everything is read before the first write and nothing runs between it and the commit."""
    article = make.article()
    parent = make.comment(article)
    db.session.commit()
    with recorded_statements(texts=True, also=[
            ("commit", lambda conn: statements.append("COMMIT"))]) as statements:
        assert reply(article, parent_id=str(parent.id)).status_code == 303
    steps = [verb(statement) for statement in statements]
    first_write = steps.index("INSERT INTO comments")
    assert steps[first_write:] == ["INSERT INTO comments", "INSERT INTO moderation_decisions",
                                   "COMMIT"], steps


def test_the_policy_look_up_is_one_statement_text_for_any_comment(make, reply, count_queries):
    """The phrases and domains go in as one JSON parameter each, so a short and a long comment
    (with links) run the same SQL text: compiled once, prepared once by the database."""
    article = make.article()
    short = queries_for_a_reply(count_queries, reply, article, "Short.")
    long = queries_for_a_reply(count_queries, reply, article, " ".join(
        f"Word{n} https://site{n}.example/page" for n in range(60)))
    facts = [[statement for statement in queries if "trusted_commenters" in statement]
             for queries in (short, long)]
    assert len(facts[0]) == 1 and facts[0] == facts[1]
