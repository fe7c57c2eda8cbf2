"""Corrections: dated notes on a story (correction, update, editor's note), removed but never deleted.

corrections.removed_at/removed_by_id mark a note taken off the story; the row stays, and both
adding and removing are also recorded as article revisions. articles.corrections_changed_at:
when a correction was last added or removed (None: never, so a page need not look for any). source_updates.status gains the
value "dismissed" (a VARCHAR without a CHECK constraint, so no DDL is needed for it).

Revision ID: 319c82f7c571
Revises: d12c10316bf8
Create Date: 2026-12-01 12:04:30.458131
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '319c82f7c571'
down_revision = 'd12c10316bf8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('correction', 'update', 'editors-note', name='correction_kind', native_enum=False, length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('pinned_above_comments', sa.Boolean(), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_corrections_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_corrections_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_corrections_removed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections'))
    )
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.create_index('ix_corrections_article_created', ['article_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_removed_by_id'), ['removed_by_id'], unique=False)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrections_changed_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('corrections_changed_at')
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrections_removed_by_id'))
        batch_op.drop_index(batch_op.f('ix_corrections_created_by_id'))
        batch_op.drop_index('ix_corrections_article_created')
    op.drop_table('corrections')
