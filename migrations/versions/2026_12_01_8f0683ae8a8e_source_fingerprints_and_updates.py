"""Articles keep their item's fingerprints; a published story's changes wait as source updates.

articles.source_fingerprint: a hash of the item's raw fields, compared before any cleaning, so
an unchanged item costs a hash, not a sanitiser pass. articles.source_content_fingerprint: the
source's headline, standfirst, body, author and dates as last seen; a change to a published
or scheduled story becomes a row in source_updates instead of rewriting it. Existing stories
start without fingerprints and get them on their next ingest.

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
        batch_op.add_column(
            sa.Column('source_content_fingerprint', sa.String(length=64), nullable=True)
        )
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_apply_source_updates', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_updates', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('source_updates_applied', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.create_table(
        'source_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Enum('pending', 'applied', 'superseded',
                                    name='source_update_status', native_enum=False, length=16),
                  nullable=False),
        sa.Column('proposed', sa.JSON(), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'],
                                name=op.f('fk_source_updates_applied_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'],
                                name=op.f('fk_source_updates_article_id_articles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_source_updates')),
    )
    with op.batch_alter_table('source_updates', schema=None) as batch_op:
        batch_op.create_index('ix_source_updates_article_status', ['article_id', 'status'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_source_updates_applied_by_id'), ['applied_by_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('source_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_updates_applied_by_id'))
        batch_op.drop_index('ix_source_updates_article_status')
    op.drop_table('source_updates')
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.drop_column('source_updates_applied')
        batch_op.drop_column('source_updates')
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.drop_column('auto_apply_source_updates')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('source_content_fingerprint')
        batch_op.drop_column('source_fingerprint')
