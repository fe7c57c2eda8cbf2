"""Articles' comments version counter, so a page's validator reads no aggregate over comments.

``articles.comments_version`` is raised with ``comments_changed_at`` in the same transaction as
every change to the article's public comments (newsroom/content/versions.py). Existing rows
start at 0 with the newest approved comment's time.

Revision ID: c13a7e5d9b21
Revises: 5e1f0c9a7b2d
Create Date: 2026-12-01 10:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13a7e5d9b21'
down_revision = 'c4e7a91d2b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('comments_changed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE articles SET comments_changed_at = (SELECT max(comments.created_at) FROM comments "
        "WHERE comments.article_id = articles.id AND comments.status = 'approved')"
    )


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('comments_changed_at')
        batch_op.drop_column('comments_version')
