"""The site-wide version row: home, section pages and feeds get a primary-key validator.

``site_versions`` holds one row (id 1), raised in the same transaction as every public change
to articles, sections and outlets, and with every article's comments version
(newsroom/content/versions.py). ``next_publish_at`` starts at the moment of the upgrade,
so the first reader after it works out the next scheduled publication.

Revision ID: e7b3c5a1f942
Revises: 1b704f8c00fd
Create Date: 2026-12-01 12:30:00.000000
"""
from alembic import op
import sqlalchemy as sa

from newsroom.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'e7b3c5a1f942'
down_revision = '1b704f8c00fd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('content_version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('comments_version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('changed_at', UTCDateTime(), nullable=True),
        sa.Column('next_publish_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_versions')),
    )
    op.execute(
        "INSERT INTO site_versions (id, content_version, comments_version, next_publish_at) "
        "VALUES (1, 0, 0, CURRENT_TIMESTAMP)"
    )


def downgrade():
    op.drop_table('site_versions')
