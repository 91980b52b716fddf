"""checkins.client_id: unique only where given

Revision ID: 7d3e9a41c2b8
Revises: aeb891f53c77
Create Date: 2026-12-03 12:20:00

A check-in saved from the form has no client_id; a partial unique index leaves those rows out,
so each such save writes one index entry (and page) fewer. Offline sends keep their guarantee.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e9a41c2b8'
down_revision = 'aeb891f53c77'
branch_labels = None
depends_on = None

GIVEN = sa.text("client_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_checkins_client_id', type_='unique')
    op.create_index(
        'uq_checkins_client_id', 'checkins', ['client_id'], unique=True,
        sqlite_where=GIVEN, postgresql_where=GIVEN,
    )


def downgrade():
    op.drop_index('uq_checkins_client_id', table_name='checkins')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_checkins_client_id', ['client_id'])
