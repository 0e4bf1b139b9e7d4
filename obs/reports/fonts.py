"""The CJK font of charts and PDFs: Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package.

The font comes with the install (a dependency in ``pyproject.toml``; OFL 1.1, one 19 MB
OpenType collection, face 2 = Simplified Chinese). It is registered with matplotlib by file
path (:func:`register_matplotlib`), so charts never depend on the user's matplotlib font
cache, and embedded (subset) into PDFs by :mod:`obs.reports.pdf`. When the package is
missing, :func:`cjk_font_path` returns None and :func:`missing_font_note` names the fix.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from schemas.messages import message

#: The family name of the face used (matplotlib's ``font.family``).
CJK_FAMILY = "Noto Sans CJK SC"
#: Index of the Simplified-Chinese face in NotoSansCJK-Regular.ttc (JP, KR, SC, TC, HK, …).
CJK_FACE_INDEX = 2


@cache
def cjk_font_path() -> Path | None:
    """The bundled NotoSansCJK-Regular.ttc, or None when ``noto-cjk-sans-otc`` is missing."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def missing_font_note(lang: str = "zh") -> str:
    """What a chart or PDF says when the font is missing, with the command that fixes it."""
    return message("warn.no_cjk_font", lang, fix=message("fix.cjk_font", lang))


@cache
def register_matplotlib() -> str | None:
    """Add the bundled font to matplotlib's font list; its family name, or None when missing.

    ``FontManager.addfont`` reads the file itself (every face of the collection), so a
    stale or empty font cache of the user plays no part.
    """
    path = cjk_font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    names = {f.name for f in font_manager.fontManager.ttflist}
    return CJK_FAMILY if CJK_FAMILY in names else None
