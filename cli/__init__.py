"""The ``obs`` command-line interface (typer).

Help and usage errors are plain text so that start-up does not load rich and markdown-it;
rich is imported only when a command draws a table. ``TYPER_USE_RICH=1`` brings rich help back.
"""

import os

os.environ.setdefault("TYPER_USE_RICH", "0")
# obs uses no pydantic plugins; looking for them scans every installed package's entry points
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
