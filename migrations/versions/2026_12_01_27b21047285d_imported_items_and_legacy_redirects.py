"""Importers: the source key of every imported item, and the old URLs of imported articles.

imported_items makes a second import of the same WordPress or Disqus file change nothing;
legacy_redirects answers an old WordPress permalink or /?p=<id> with a 301.

Revision ID: 27b21047285d
Revises: db2d0b4a615f
Create Date: 2026-12-01 09:14:40.173701
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '27b21047285d'
down_revision = 'f0bf6762e83b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legacy_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_legacy_redirects_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_redirects')),
    sa.UniqueConstraint('path', name=op.f('uq_legacy_redirects_path'))
    )
    with op.batch_alter_table('legacy_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legacy_redirects_article_id'), ['article_id'], unique=False)

    op.create_table('imported_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_imported_items_article_id_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_imported_items_comment_id_comments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_items')),
    sa.UniqueConstraint('key', name=op.f('uq_imported_items_key'))
    )
    with op.batch_alter_table('imported_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_items_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_items_comment_id'), ['comment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('imported_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_items_comment_id'))
        batch_op.drop_index(batch_op.f('ix_imported_items_article_id'))

    op.drop_table('imported_items')
    with op.batch_alter_table('legacy_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legacy_redirects_article_id'))

    op.drop_table('legacy_redirects')