"""Readers' reports of comments, and comments hidden pending review after enough of them.

``comment_reports`` holds one reader's report (reason, details, the reporter's keyed hashes,
an optional email for the outcome) and its resolution; ``comments.hidden_at`` is set while an
approved comment is hidden from readers because enough distinct readers reported it.

Revision ID: d12c10316bf8
Revises: 176177f3701a
Create Date: 2026-12-01 12:05:06.594661
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd12c10316bf8'
down_revision = '176177f3701a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'abuse', 'off-topic', 'illegal', 'other', name='report_reason', native_enum=False, length=16), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('reporter_key', sa.String(length=64), nullable=False),
    sa.Column('reporter_ip', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Enum('kept', 'removed', name='report_outcome', native_enum=False, length=16), nullable=True),
    sa.Column('resolution_reason', sa.Text(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reports_comment_id_comments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_comment_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reports')),
    sa.UniqueConstraint('comment_id', 'reporter_key', name=op.f('uq_comment_reports_comment_id_reporter_key'))
    )
    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_reports_email'), ['email'], unique=False)
        batch_op.create_index('ix_comment_reports_open', ['resolved_at', 'comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_reports_resolved_by_id'), ['resolved_by_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_reports_resolved_by_id'))
        batch_op.drop_index('ix_comment_reports_open')
        batch_op.drop_index(batch_op.f('ix_comment_reports_email'))

    op.drop_table('comment_reports')
