"""The change-log triggers of ``obs push`` (see :mod:`obs.exchange.push_mark`).

Revision ``0004_push_watermark`` creates them. A later revision that rebuilds one of these
tables on SQLite (``batch_alter_table`` copies the table and drops the old one, and its
triggers with it) must call :func:`create` for that table again;
``tests/obs/test_migrations.py`` checks that every table has its trigger at head.
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic import op

#: The tables whose updates are logged for the next push (history is append-only).
LOGGED_TABLES: tuple[str, ...] = (
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
_FUNCTION = """
CREATE OR REPLACE FUNCTION obs_push_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM push_mark WHERE table_name = TG_TABLE_NAME) THEN
    INSERT INTO push_change (table_name, row_id) VALUES (TG_TABLE_NAME, OLD.id);
  END IF;
  RETURN NULL;
END $$
"""


def trigger_name(table: str) -> str:
    """The name of ``table``'s change-log trigger."""
    return f"trg_push_change_{table}"


def create(tables: Iterable[str] = LOGGED_TABLES) -> None:
    """Create the AFTER UPDATE trigger of each table (inside a migration)."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(_FUNCTION)
    for table in tables:
        name = trigger_name(table)
        if postgresql:
            op.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION obs_push_change()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM push_mark WHERE table_name = '{table}') "
                f"BEGIN INSERT INTO push_change (table_name, row_id) "
                f"VALUES ('{table}', OLD.id); END"
            )


def drop(tables: Iterable[str] = LOGGED_TABLES, *, function: bool = True) -> None:
    """Drop the triggers (and, with ``function``, the PostgreSQL trigger function)."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in tables:
        on = f" ON {table}" if postgresql else ""
        op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}{on}")
    if postgresql and function:
        op.execute("DROP FUNCTION IF EXISTS obs_push_change()")
