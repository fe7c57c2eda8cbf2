"""Structured republishing rights on outlets and stories; source withdrawal checks.

outlets.licence was free text. It becomes a code (cc-by-4.0, cc-by-nd-4.0, cc-by-nc-nd-4.0,
permission, other) read from that text: a Creative Commons 4.0 licence (or one with no
version given) named in it, "permission" when it says so, otherwise "other". The text itself
is kept, whole, in the new licence_text, so no agreed term is lost; downgrading puts it back.
Each existing syndicated story gets its outlet's licence (ingest copies it from now on); its
credit line stays empty, which shows the outlet's.

Stories also get an embargo, an expiry with its action (unpublish or noindex) and when the
expiry job applied it, and the withdrawal check's columns (source_checked_at, withdrawn_at,
withdrawn_notice); outlets get auto_unpublish_withdrawn.

Revision ID: 1b704f8c00fd
Revises: 319c82f7c571
Create Date: 2026-12-01 12:03:26.620065
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1b704f8c00fd'
down_revision = '319c82f7c571'
branch_labels = None
depends_on = None

LICENCES = ('cc-by-4.0', 'cc-by-nd-4.0', 'cc-by-nc-nd-4.0', 'permission', 'other')
LABELS = {'cc-by-4.0': 'CC BY 4.0', 'cc-by-nd-4.0': 'CC BY-ND 4.0',
          'cc-by-nc-nd-4.0': 'CC BY-NC-ND 4.0', 'permission': 'Republished with permission'}
_CC = re.compile(r'\b(?:cc|creative\s*commons)[\s-]*(by(?:[\s-]+(?:nc|nd|sa))*)', re.IGNORECASE)
_VERSION = re.compile(r'\b(\d\.\d)\b')


def licence_code(text):
    """The licence code the free text names, or None for no text."""
    text = (text or '').strip()
    if not text:
        return None
    found = _CC.search(text)
    version = _VERSION.search(text)
    if found and (version is None or version.group(1) == '4.0'):
        code = {'by': 'cc-by-4.0', 'by-nd': 'cc-by-nd-4.0', 'by-nc-nd': 'cc-by-nc-nd-4.0'}
        family = '-'.join(found.group(1).lower().replace('-', ' ').split())
        if family in code:
            return code[family]
    if 'permission' in text.lower():
        return 'permission'
    return 'other'


def _licence(_nullable=True):
    return sa.Enum(*LICENCES, name='licence', native_enum=False, length=16)


def _expiry_action():
    return sa.Enum('unpublish', 'noindex', name='expiry_action', native_enum=False, length=16)


def _rights_columns(batch_op):
    batch_op.add_column(sa.Column('licence_text', sa.Text(), server_default='', nullable=False))
    batch_op.add_column(sa.Column('embargo_until', sa.DateTime(timezone=True), nullable=True))
    batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    batch_op.add_column(sa.Column('expiry_action', _expiry_action(), server_default='unpublish',
                                  nullable=False))


def upgrade():
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_unpublish_withdrawn', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        _rights_columns(batch_op)
    connection = op.get_bind()
    outlets = sa.table('outlets', sa.column('id', sa.Integer), sa.column('licence', sa.Text),
                       sa.column('licence_text', sa.Text))
    for outlet_id, text in connection.execute(sa.select(outlets.c.id, outlets.c.licence)).all():
        connection.execute(outlets.update().where(outlets.c.id == outlet_id).values(
            licence=licence_code(text), licence_text=(text or '').strip()))
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.alter_column('licence', existing_type=sa.TEXT(), type_=_licence(True),
                              nullable=True)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rights_expired_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('source_checked_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_notice', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('licence', _licence(True), nullable=True))
        batch_op.add_column(sa.Column('credit_line', sa.String(length=300), server_default='',
                                      nullable=False))
        _rights_columns(batch_op)
        batch_op.create_index('ix_articles_expires_at', ['expires_at'], unique=False)
        batch_op.create_index('ix_articles_source_checked_at', ['source_checked_at'],
                              unique=False)
    op.execute(
        "UPDATE articles SET licence = (SELECT outlets.licence FROM outlets"
        " WHERE outlets.id = articles.outlet_id),"
        " licence_text = COALESCE((SELECT outlets.licence_text FROM outlets"
        " WHERE outlets.id = articles.outlet_id), '')"
        " WHERE outlet_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_source_checked_at')
        batch_op.drop_index('ix_articles_expires_at')
        for name in ('expiry_action', 'expires_at', 'embargo_until', 'credit_line',
                     'licence_text', 'licence', 'withdrawn_notice', 'withdrawn_at',
                     'source_checked_at', 'rights_expired_at'):
            batch_op.drop_column(name)

    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.alter_column('licence', existing_type=_licence(True), type_=sa.TEXT(),
                              nullable=True)
    connection = op.get_bind()
    outlets = sa.table('outlets', sa.column('id', sa.Integer), sa.column('licence', sa.Text),
                       sa.column('licence_text', sa.Text))
    rows = connection.execute(
        sa.select(outlets.c.id, outlets.c.licence, outlets.c.licence_text)).all()
    for outlet_id, code, text in rows:
        connection.execute(outlets.update().where(outlets.c.id == outlet_id).values(
            licence=text or LABELS.get(code or '', '')))
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.alter_column('licence', existing_type=sa.TEXT(), nullable=False)
        for name in ('expiry_action', 'expires_at', 'embargo_until', 'licence_text',
                     'auto_unpublish_withdrawn'):
            batch_op.drop_column(name)
