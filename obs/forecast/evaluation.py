"""Model comparison: leave-one-season-out scores of every model against the climatology baseline.

``evaluate`` scores one plot of the store; ``evaluate_files`` scores external files
(:func:`obs.forecast.external.fit_from_files`). Both return one row per model with the skill
``1 − RMSE / RMSE(climatology)`` (> 0: the model beats the naive multi-year mean date).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.forecast.external import fit_from_files
from obs.forecast.fit import FitResult
from obs.forecast.service import fit_for_site
from obs.forecast.text import model_label, params_text

#: Columns of :func:`evaluate`, in order.
EVALUATE_COLUMNS: tuple[str, ...] = (
    "model",
    "name",
    "cv_rmse_days",
    "cv_bias_days",
    "n_seasons",
    "n_missed",
    "fit_rmse_days",
    "skill",
    "selected",
    "params",
)


def evaluate(
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    stage: str = "FLS",
    status: str = "general",
    lang: str = "en",
) -> pd.DataFrame:
    """Leave-one-season-out scores of every model on all seasons of one plot.

    Returns
    -------
    One row per model (climatology baseline first): CV RMSE and bias [d], seasons, seasons
    not reached in the window, RMSE of the fit on all seasons [d], skill = 1 − RMSE/RMSE of
    climatology (> 0: beats the naive mean date), whether it is selected, and the fitted
    parameters. ``attrs`` holds the site, the training seasons, the excluded seasons and
    ``excluded_notes``: why each was left out ("needs daily mean temperature to …; data end …").
    """
    site, fit = fit_for_site(session, station, plot, stage, status)
    frame = pd.DataFrame(fit_rows(fit, lang), columns=list(EVALUATE_COLUMNS))
    frame.attrs.update(
        site=site,
        seasons=tuple(int(s) for s in fit.training.seasons),
        excluded=fit.training.excluded,
        excluded_notes=fit.training.notes_in(lang),
    )
    return frame


def fit_rows(fit: FitResult, lang: str = "en") -> list[dict[str, Any]]:
    """One row per model of a fit result (columns :data:`EVALUATE_COLUMNS`)."""
    baseline = fit.fit_of("climatology").cv.rmse
    return [
        {
            "model": f.model,
            "name": model_label(f.model, lang),
            "cv_rmse_days": round(f.cv.rmse, 2),
            "cv_bias_days": round(f.cv.bias, 2),
            "n_seasons": f.cv.n_seasons,
            "n_missed": f.cv.n_missed,
            "fit_rmse_days": round(f.rmse, 2),
            "skill": round(1.0 - f.cv.rmse / baseline, 3) if baseline > 0 else None,
            "selected": f.model == fit.selected,
            "params": params_text(f.params),
        }
        for f in fit.fits
    ]


def evaluate_files(
    events_csv: Path | str,
    temps_csv: Path | str,
    *,
    pooled: bool = False,
    lang: str = "en",
    season_start: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Scores of every model on external files, per site (or pooled): a ``site`` column first.

    File formats: :mod:`obs.forecast.external` (events ``site, year, doy``; temperatures
    ``site, date, t_mean``). ``attrs`` holds ``references`` (site -> season start used) and
    ``excluded_notes`` (the seasons left out and why).
    """
    fits: Mapping[str, FitResult] = fit_from_files(
        events_csv, temps_csv, pooled=pooled, season_start=season_start
    )
    rows = [
        {"site": site, **row, "n_cases": fit.fit_of(row["model"]).cv.n_cases}
        for site, fit in fits.items()
        for row in fit_rows(fit, lang)
    ]
    columns = ["site", *EVALUATE_COLUMNS[:5], "n_cases", *EVALUATE_COLUMNS[5:]]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs.update(
        references={site: fit.training.reference for site, fit in fits.items()},
        excluded_notes=tuple(n for fit in fits.values() for n in fit.training.notes_in(lang)),
    )
    return frame
