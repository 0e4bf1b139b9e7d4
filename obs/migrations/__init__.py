"""Alembic migrations of the obs schema. ``HEAD_REVISION`` must name the newest revision."""

HEAD_REVISION = "0004_push_watermark"
