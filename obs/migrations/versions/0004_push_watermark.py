"""push watermark and change log of a field database (incremental obs push)

Revision ID: 0004_push_watermark
Revises: 0003_forecast_issue

``push_mark`` and ``push_change`` (see :mod:`schemas.push_tables`), and on every pushed table
an AFTER UPDATE trigger that logs the id of each updated row once the table has been pushed
to some central database (it has a ``push_mark`` row). A database never pushed logs nothing;
the cost of the log is one look-up in the tiny ``push_mark`` table and one small row per update
(imports of new data update only the rows QC flags). The triggers are in
:mod:`obs.migrations.push_triggers`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from obs.migrations import push_triggers

revision: str = "0004_push_watermark"
down_revision: str | None = "0003_forecast_issue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "push_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_change", sa.BigInteger(), nullable=False),
        sa.Column("pushed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_mark")),
        sa.UniqueConstraint("target", "table_name", name="uq_push_mark_target"),
    )
    op.create_table(
        "push_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_change")),
    )
    push_triggers.create()


def downgrade() -> None:
    push_triggers.drop()
    op.drop_table("push_change")
    op.drop_table("push_mark")
