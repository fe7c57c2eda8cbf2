"""Moderation queue index: (status, created_at, id) replaces (status, created_at).

The queue orders one status by (created_at, id); with id in the index PostgreSQL reads a
page, however deep, from the index in order instead of sorting every comment of that status.

Revision ID: db2d0b4a615f
Revises: 2a0c3109ce28
Create Date: 2026-11-25 13:01:06.825481
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'db2d0b4a615f'
down_revision = '2a0c3109ce28'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_status_created_id', 'comments', ['status', 'created_at', 'id'],
                    unique=False)
    op.drop_index('ix_comments_status_created', table_name='comments')


def downgrade():
    op.create_index('ix_comments_status_created', 'comments', ['status', 'created_at'], unique=False)
    op.drop_index('ix_comments_status_created_id', table_name='comments')
