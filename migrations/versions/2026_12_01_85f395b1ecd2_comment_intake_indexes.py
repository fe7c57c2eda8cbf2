"""Indexes for the reply intake: the duplicate check and the comment page a reply lands on.

Both look-ups scanned every comment of the article before (the duplicate check took the
article's index, the page count read each approved comment's row), so a POST on a story
with 10,000 comments cost several times one on a story with 100.

Revision ID: 85f395b1ecd2
Revises: e7b3c5a1f942
Create Date: 2026-12-01 15:30:00.000000
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '85f395b1ecd2'
down_revision = 'e7b3c5a1f942'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_email_article_created', 'comments',
                    ['author_email', 'article_id', 'created_at'], unique=False)
    op.create_index('ix_comments_article_roots', 'comments',
                    ['article_id', 'status', 'parent_id', 'hidden_at', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_comments_article_roots', table_name='comments')
    op.drop_index('ix_comments_email_article_created', table_name='comments')
