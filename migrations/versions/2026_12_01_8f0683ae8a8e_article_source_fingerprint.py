"""Articles keep the fingerprint of the feed item they were ingested from.

A re-ingest compares it before any cleaning, so an unchanged item costs a hash, not a
sanitiser pass. Existing stories start without one and get it on their next ingest.

Revision ID: 8f0683ae8a8e
Revises: db2d0b4a615f
Create Date: 2026-12-01 09:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f0683ae8a8e'
down_revision = 'db2d0b4a615f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('source_fingerprint')
