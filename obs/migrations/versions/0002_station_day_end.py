"""station day end: the hour (station time) at which a station's climatological day ends

Revision ID: 0002_station_day_end
Revises: 0001
Create Date: 2026-12-03 13:05:00

Existing stations keep 20 (the CMA day, 20:00 BT), through the server default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_station_day_end"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("day_end_hour", sa.Integer(), nullable=False, server_default="20")
        )


def downgrade() -> None:
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_column("day_end_hour")
