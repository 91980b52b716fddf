"""weekly reflections

Revision ID: 5a1f0c2d9e41
Revises: 0c01827670f5
Create Date: 2026-11-21 12:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1f0c2d9e41'
down_revision = '0c01827670f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('weekly_reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_weekly_reflections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_reflections')),
    sa.UniqueConstraint('user_id', 'week', name='uq_weekly_reflections_user_week')
    )


def downgrade():
    op.drop_table('weekly_reflections')
