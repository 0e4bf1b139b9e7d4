"""Where the database is and which language to speak: ``--db`` > ``OBS_DB`` > config > default.

The config file is TOML at ``$OBS_CONFIG`` or ``<user config dir>/obs/config.toml``::

    db = "postgresql+psycopg://obs@server/obs"
    lang = "zh"
    observer = "王芳"
    csv_bom = true        # CSV files start with a UTF-8 BOM (for Excel); env OBS_CSV_BOM=1/0

    [due]                 # obs due: intervals [days] of the observation-frequency rules
    summer = 14           # (schemas/frequency.py) in general ...
    [due.plots.JG-A]      # ... or for one plot
    flowering = 1

The observer of new records is ``--observer``, else ``OBS_OBSERVER``, else the config's
``observer`` (:attr:`Settings.observer`; empty when none is set).
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from obs.errors import ObsError
from schemas.terms import LANGS, Lang

APP_NAME = "obs"


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one command run."""

    db: str
    lang: Lang = "zh"
    actor: str = ""
    observer: str = ""
    due: dict[str, Any] = field(default_factory=dict)
    csv_bom: bool | None = None


def config_path(env: dict[str, str] | None = None) -> Path:
    """The config file's path (it need not exist)."""
    source = dict(os.environ) if env is None else env
    if source.get("OBS_CONFIG"):
        return Path(source["OBS_CONFIG"]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def default_db_path() -> Path:
    """The default SQLite file in the user data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / "obs.db"


def read_config(path: Path) -> dict[str, Any]:
    """The config file as a dict; an absent file is an empty config."""
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        raise ObsError(
            f"cannot read config file {path}: {err}",
            hint="fix the file or point OBS_CONFIG elsewhere",
        ) from None


def resolve_settings(
    *, db: str | None = None, lang: str | None = None, env: dict[str, str] | None = None
) -> Settings:
    """Resolve the settings from the command line, the environment and the config file."""
    env = dict(os.environ) if env is None else env
    config = read_config(config_path(env))
    # an explicit empty --db is refused later (obs.db.to_url), never taken as "the default"
    chosen_db = (
        db if db is not None else (env.get("OBS_DB") or config.get("db") or str(default_db_path()))
    )
    chosen_lang = lang or env.get("OBS_LANG") or config.get("lang") or "zh"
    if chosen_lang not in LANGS:
        raise ObsError(f"unknown language {chosen_lang!r}", hint="use --lang zh or --lang en")
    actor = env.get("OBS_USER") or str(config.get("observer") or "") or _os_user()
    observer = (env.get("OBS_OBSERVER") or str(config.get("observer") or "")).strip()
    due: dict[str, Any] = config["due"] if isinstance(config.get("due"), dict) else {}
    bom_env = env.get("OBS_CSV_BOM")
    bom = bom_env.lower() in ("1", "true", "yes") if bom_env else config.get("csv_bom")
    return Settings(
        db=str(chosen_db),
        lang=chosen_lang,  # type: ignore[arg-type]
        actor=actor,
        observer=observer,
        due=due,
        csv_bom=bom if isinstance(bom, bool) else None,
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
