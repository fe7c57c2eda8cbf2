"""An index for the reply intake's duplicate check: this email's comments on this article.

Without it the check took the article's index and read every comment of the story, so a
POST on a story with 10,000 comments cost several times one on a story with 100. (The count
of the page a reply lands on reads ``ix_comments_article_roots``, from a3f9d2c4b7e1.)

Revision ID: 85f395b1ecd2
Revises: a3f9d2c4b7e1
Create Date: 2026-12-01 15:30:00.000000
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '85f395b1ecd2'
down_revision = 'a3f9d2c4b7e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_email_article_created', 'comments',
                    ['author_email', 'article_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_comments_email_article_created', table_name='comments')
