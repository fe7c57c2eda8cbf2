"""Staff invitations: an email, a role, the link's nonce, when it expires, was used or revoked.

Revision ID: 176177f3701a
Revises: 2f0129228563
Create Date: 2026-12-01 12:03:22.665797
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '176177f3701a'
down_revision = '2f0129228563'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('admin', 'editor', 'moderator', name='invitation_role', native_enum=False, length=16), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_invited_by_id'), ['invited_by_id'], unique=False)
        batch_op.create_index('ix_invitations_state', ['accepted_at', 'revoked_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_user_id'))
        batch_op.drop_index('ix_invitations_state')
        batch_op.drop_index(batch_op.f('ix_invitations_invited_by_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_email'))

    op.drop_table('invitations')
