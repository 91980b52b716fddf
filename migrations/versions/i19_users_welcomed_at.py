"""users.welcomed_at

Revision ID: i19_welcomed_at
Revises: eb1c78074430
Create Date: 2026-12-07 11:30:00

Issue 19: the first-run welcome shows until the person finishes or skips it. People who already
use the app have found their way; they count as welcomed since their account was made (the
welcome stays reachable from the account page).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i19_welcomed_at'
down_revision = 'eb1c78074430'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('welcomed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET welcomed_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('welcomed_at')
