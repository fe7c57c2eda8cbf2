"""Editors' picks: when a comment was featured, and by whom (issue 11).

``ix_comments_article_featured`` serves the article page's picks block (one article's
featured comments, newest-featured first).

Revision ID: 2f0129228563
Revises: d5caa3a0c93d
Create Date: 2026-12-01 12:03:55.409566
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2f0129228563'
down_revision = 'd5caa3a0c93d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('featured_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('featured_by_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_comments_article_featured', ['article_id', 'featured_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_featured_by_id'), ['featured_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_featured_by_id_users'), 'users', ['featured_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_featured_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comments_featured_by_id'))
        batch_op.drop_index('ix_comments_article_featured')
        batch_op.drop_column('featured_by_id')
        batch_op.drop_column('featured_at')
