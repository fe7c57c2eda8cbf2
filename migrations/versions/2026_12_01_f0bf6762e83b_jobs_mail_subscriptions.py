"""Background jobs, sent-mail markers, reply subscriptions; outlets' refresh interval; staff mail.

``jobs`` is the transactional outbox huey is fed from; ``mail_records`` makes a retried mail
job skip what it already sent; ``subscribers``/``subscriptions`` hold "email me replies";
``outlets.refresh_minutes`` drives the scheduled refresh; the ``users`` columns are the staff's
digest and alert settings.

Revision ID: f0bf6762e83b
Revises: db2d0b4a615f
Create Date: 2026-12-01 09:42:31.343950
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0bf6762e83b'
down_revision = '8f0683ae8a8e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'running', 'done', 'failed', name='job_status', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_key_created', ['key', 'created_at'], unique=False)
        batch_op.create_index('ix_jobs_status_run_after', ['status', 'run_after'], unique=False)

    op.create_table('mail_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient_hmac', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('sending', 'sent', 'outbox', 'capped', name='mail_status', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('text_body', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_records')),
    sa.UniqueConstraint('key', name=op.f('uq_mail_records_key'))
    )
    with op.batch_alter_table('mail_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_records_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_mail_records_recipient_created', ['recipient_hmac', 'created_at'], unique=False)

    op.create_table('subscribers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmation_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscribers')),
    sa.UniqueConstraint('email', name=op.f('uq_subscribers_email')),
    sa.UniqueConstraint('token', name=op.f('uq_subscribers_token'))
    )
    op.create_table('subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_subscriptions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscribers.id'], name=op.f('fk_subscriptions_subscriber_id_subscribers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('subscriber_id', 'comment_id', name=op.f('uq_subscriptions_subscriber_id_comment_id')),
    sa.UniqueConstraint('token', name=op.f('uq_subscriptions_token'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_subscriber_id'), ['subscriber_id'], unique=False)

    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refresh_minutes', sa.Integer(), server_default='30', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_minutes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('digest_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('alert_illegal_reports', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('alert_failed_fetches', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('alert_failed_fetches')
        batch_op.drop_column('alert_illegal_reports')
        batch_op.drop_column('digest_checked_at')
        batch_op.drop_column('digest_minutes')

    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.drop_column('refresh_minutes')

    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriptions_subscriber_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_comment_id'))

    op.drop_table('subscriptions')
    op.drop_table('subscribers')
    with op.batch_alter_table('mail_records', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_records_recipient_created')
        batch_op.drop_index(batch_op.f('ix_mail_records_created_at'))

    op.drop_table('mail_records')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_status_run_after')
        batch_op.drop_index('ix_jobs_key_created')

    op.drop_table('jobs')
