"""Chart of verified forecasts: error [d] against lead time [d], forecasts and their baseline.

One panel: every verified issued forecast as a dot (error = predicted − observed, + = late) at
its lead time (observed − issue date), the climatology baseline issued at the same date as a
cross, a zero line, and the lead-class bounds (:data:`schemas.forecast.LEAD_CLASSES`) dotted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from obs.reports.charts import Chart, figure_bytes, figure_context
from schemas.forecast import LEAD_CLASSES

if TYPE_CHECKING:
    from obs.forecast.verify import Verification

_TEXT = {
    "zh": {"forecast": "发布的预报", "baseline": "气候基准", "lead": "预报时效（天，发布至实测）",
           "error": "误差（天，预报−实测）", "title": "花期预报检验：误差与预报时效"},
    "en": {"forecast": "issued forecast", "baseline": "climatology baseline",
           "lead": "Lead time (days, issue to event)", "error": "Error (days, forecast − observed)",
           "title": "Bloom forecast verification: error against lead time"},
}  # fmt: skip


def verify_chart(result: Verification, fmt: str = "png", lang: str = "zh") -> Chart:
    """Draw error against lead time as PNG or SVG bytes."""
    with figure_context(fmt, lang) as (lang, note):
        import matplotlib.pyplot as plt

        text = _TEXT[lang]
        fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
        points = [
            (float(c.lead or 0), float(c.error() or 0), c.error("baseline_predicted"))
            for c in result.verified
        ]
        leads = [p[0] for p in points]
        ax.plot(leads, [p[1] for p in points], "o", color="#d9534f", label=text["forecast"])
        base = [(p[0], p[2]) for p in points if p[2] is not None]
        if base:
            ax.plot(*zip(*base, strict=True), "x", color="#2c6fbb", label=text["baseline"])
        ax.axhline(0, color="#333333", lw=1)
        for lead in LEAD_CLASSES:
            if lead.low is not None:
                ax.axvline(lead.low - 0.5, color="#999999", ls=":", lw=1)
        ax.set_xlabel(text["lead"])
        ax.set_ylabel(text["error"])
        ax.set_title(text["title"], fontsize=11)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        data = figure_bytes(fig, fmt)
    return Chart(data, fmt, lang, note)
