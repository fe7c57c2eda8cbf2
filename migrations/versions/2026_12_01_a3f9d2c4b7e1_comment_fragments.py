"""Stored comment fragments, the articles' shown-comment counts, and the thread page's indexes.

``comments.rendered_html`` holds an approved comment's public HTML, rendered when it is
approved or changes, with ``rendered_version`` (newsroom/comments/fragments.py); existing
comments start without one and are rendered by the page until ``flask --app wsgi comments
render`` fills them. ``articles.shown_comments``, ``shown_threads`` and ``shown_picks`` are
counted again with every raise of the comments version (newsroom/content/versions.py);
existing rows are counted here. Two indexes serve the article page: its top-level comments
(``ix_comments_article_roots``, so a deep page is skipped to in the index) and their replies
(``ix_comments_thread_shown``).

Revision ID: a3f9d2c4b7e1
Revises: e7b3c5a1f942
Create Date: 2026-12-01 15:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f9d2c4b7e1'
down_revision = 'e7b3c5a1f942'
branch_labels = None
depends_on = None

#: What readers see: approved and not hidden after reports.
SHOWN = ("FROM comments WHERE comments.article_id = articles.id "
         "AND comments.status = 'approved' AND comments.hidden_at IS NULL")


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rendered_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rendered_version', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_comments_article_roots', ['article_id', 'status', 'parent_id', 'hidden_at', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_comments_thread_shown', ['thread_id', 'status', 'hidden_at'], unique=False)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown_comments', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('shown_threads', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('shown_picks', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        f"UPDATE articles SET shown_comments = (SELECT count(*) {SHOWN}), "
        f"shown_threads = (SELECT count(*) {SHOWN} AND comments.parent_id IS NULL), "
        f"shown_picks = (SELECT count(*) {SHOWN} AND comments.featured_at IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('shown_picks')
        batch_op.drop_column('shown_threads')
        batch_op.drop_column('shown_comments')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_thread_shown')
        batch_op.drop_index('ix_comments_article_roots')
        batch_op.drop_column('rendered_version')
        batch_op.drop_column('rendered_html')
