"""Images: the media library's uploads, the stories' body images, a lead image and its alt text.

Existing stories get an empty alt text (their lead images, if any, are addresses elsewhere).

Revision ID: d5caa3a0c93d
Revises: c13a7e5d9b21
Create Date: 2026-12-01 10:30:31.742400
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5caa3a0c93d'
down_revision = 'c13a7e5d9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('animated', sa.Boolean(), nullable=False),
    sa.Column('renditions', sa.JSON(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('alt', sa.String(length=500), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('credit', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_images_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
    sa.UniqueConstraint('digest', name=op.f('uq_images_digest'))
    )
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_images_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_images_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('article_images',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_images_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_article_images_image_id_images'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'image_id', name=op.f('pk_article_images'))
    )
    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_images_image_id'), ['image_id'], unique=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('image_alt', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_articles_image_id'), ['image_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_articles_image_id_images'), 'images', ['image_id'], ['id'], ondelete='RESTRICT')



def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_articles_image_id_images'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_articles_image_id'))
        batch_op.drop_column('image_alt')
        batch_op.drop_column('image_id')

    with op.batch_alter_table('article_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_images_image_id'))

    op.drop_table('article_images')
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_images_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_images_created_at'))

    op.drop_table('images')
