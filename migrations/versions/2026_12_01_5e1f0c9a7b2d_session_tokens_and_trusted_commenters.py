"""Staff session tokens; commenter browser keys and the trusted (email, browser) pairs.

``users.session_token`` is part of every staff session's user id: rotating it (sign-in,
sign-out, password change, deactivation) ends the sessions that carry the old one. Existing
accounts get a random token each, which signs everybody out once.

``comments.browser_key`` and ``trusted_commenters``: approving a comment trusts the browser it
came from with its email; typing an address alone no longer skips the queue.

Revision ID: 5e1f0c9a7b2d
Revises: db2d0b4a615f
Create Date: 2026-12-01 09:30:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

import newsroom.models.base


# revision identifiers, used by Alembic.
revision = '5e1f0c9a7b2d'
down_revision = '27b21047285d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'trusted_commenters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('browser_key', sa.String(length=64), nullable=False),
        sa.Column('proof', sa.String(length=16), nullable=False),
        sa.Column('created_at', newsroom.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_commenters')),
        sa.UniqueConstraint('email', 'browser_key',
                            name=op.f('uq_trusted_commenters_email_browser_key')),
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('browser_key', sa.String(length=64), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('browser_key')
    op.drop_table('trusted_commenters')
