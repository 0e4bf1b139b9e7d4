"""Declarations of the wintersweet observation standard: vocabularies, limits and tables.

Importing this package is cheap: the vocabularies are plain frozen dataclasses. The SQLModel
tables live in :mod:`schemas.tables` and are imported only by code that talks to a database.
"""
