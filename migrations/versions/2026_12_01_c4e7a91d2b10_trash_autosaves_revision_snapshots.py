"""Writing tools: the trash (articles.deleted_at), autosaves, full snapshots on revisions.

Revision ID: c4e7a91d2b10
Revises: 5e1f0c9a7b2d
Create Date: 2026-12-01 10:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e7a91d2b10'
down_revision = '5e1f0c9a7b2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_autosaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_autosaves_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_article_autosaves_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_autosaves')),
    sa.UniqueConstraint('article_id', 'user_id', name=op.f('uq_article_autosaves_article_id_user_id'))
    )
    with op.batch_alter_table('article_autosaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_autosaves_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_autosaves_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_deleted_at'), ['deleted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_deleted_at'))
        batch_op.drop_column('deleted_at')

    with op.batch_alter_table('article_revisions', schema=None) as batch_op:
        batch_op.drop_column('snapshot')

    with op.batch_alter_table('article_autosaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_autosaves_user_id'))
        batch_op.drop_index(batch_op.f('ix_article_autosaves_article_id'))

    op.drop_table('article_autosaves')
