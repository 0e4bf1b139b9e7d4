"""push watermark and change log of a field database (incremental obs push)

Revision ID: 0002_push_watermark
Revises: 0001

``push_mark`` and ``push_change`` (see :mod:`schemas.push_tables`), and on every pushed table
an AFTER UPDATE trigger that logs the id of each updated row once the table has been pushed
to some central database (it has a ``push_mark`` row). A database never pushed logs nothing;
the cost of the log is one look-up in the tiny ``push_mark`` table and one small row per update
(imports of new data update only the rows QC flags).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002_push_watermark"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables whose updates are logged for the next push (history is append-only).
LOGGED_TABLES = (
    "station",
    "plot",
    "plant",
    "phenology",
    "growth_status",
    "growth",
    "yield_item",
    "disaster",
    "pest",
    "fieldwork",
    "daily_weather",
    "subdaily_weather",
    "qc_flag",
)


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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION obs_push_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM push_mark WHERE table_name = TG_TABLE_NAME) THEN
                INSERT INTO push_change (table_name, row_id) VALUES (TG_TABLE_NAME, OLD.id);
              END IF;
              RETURN NULL;
            END $$
            """
        )
        for table in LOGGED_TABLES:
            op.execute(
                f"CREATE TRIGGER trg_push_change_{table} AFTER UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION obs_push_change()"
            )
    else:
        for table in LOGGED_TABLES:
            op.execute(
                f"CREATE TRIGGER trg_push_change_{table} AFTER UPDATE ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM push_mark WHERE table_name = '{table}') "
                f"BEGIN INSERT INTO push_change (table_name, row_id) "
                f"VALUES ('{table}', OLD.id); END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in LOGGED_TABLES:
        op.execute(
            f"DROP TRIGGER IF EXISTS trg_push_change_{table}"
            + (f" ON {table}" if postgresql else "")
        )
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS obs_push_change()")
    op.drop_table("push_change")
    op.drop_table("push_mark")
