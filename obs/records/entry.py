"""Validation at entry: coerce raw values of a record kind and apply the cross-field rules.

Pure functions (no database): :func:`coerce` turns a mapping of raw inputs into typed column
values plus soft-limit warnings, or raises :class:`InvalidValueError` naming the field and
value. Rules that need stored data (duplicates, stage order) live in :mod:`obs.records.create`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from obs.errors import InvalidValueError
from obs.records import parse
from obs.textcheck import check_code, check_text
from schemas import vocabulary as V
from schemas.kinds import FieldSpec, Kind
from schemas.stages import STAGES_BY_CODE
from schemas.text_rules import CODE_FIELDS, TEXT_MAX_CHARS
from schemas.vocab_index import VOCABULARIES
from schemas.weather import DAILY_ELEMENTS

STATION_CODE_RE = re.compile(r"^[A-Z0-9]\d{4}$")


def _precip_tolerance() -> float:
    """Tolerance of the 20–20 = 20–08 + 08–20 identity [mm]: the QC rule's
    (:attr:`schemas.qc_rules.QCRules.precip_sum_tolerance`, settable in ``qc.toml``)."""
    from obs.qc.settings import configured_rules

    return configured_rules().precip_sum_tolerance


_INT_CODES = {"growth_class", "severity", "yield_impact", "damage_level", "quality"}


@dataclass
class Coerced:
    """Typed values ready for a table row, the raw refs still to resolve, and warnings."""

    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def display(spec: FieldSpec, style: str) -> str:
    """How a field is named in messages: ``--date`` for the CLI, ``obs_date`` for files."""
    return option_name(spec) if style == "option" else spec.name


_OPTION_NAMES = {
    "code": "CODE",
    "tag": "TAG",
    "obs_date": "--date",
    "obs_time": "--time",
    "stage_code": "--stage",
    "item_code": "--item",
    "growth_class": "--class",
    "disaster_code": "--disaster",
    "pest_code": "--pest",
    "start_date": "--start",
    "end_date": "--end",
    "t_max": "--tmax",
    "t_min": "--tmin",
    "t_mean": "--tmean",
    "rh_mean": "--rh",
    "wind_mean": "--wind",
    "flowers_open": "--open",
    "buds_unopened": "--unopened",
    "flowers_withered": "--withered",
    "latitude": "--lat",
    "longitude": "--lon",
    "day_end_hour": "--day-end",
}
#: Other options accepted for a field (the contract's names come first, these also work).
_OPTION_ALIASES: dict[str, tuple[str, ...]] = {
    "latitude": ("--latitude",),
    "longitude": ("--longitude",),
}


def option_name(spec: FieldSpec) -> str:
    """The CLI option of a field."""
    return _OPTION_NAMES.get(spec.name, "--" + spec.name.replace("_", "-"))


def option_aliases(spec: FieldSpec) -> tuple[str, ...]:
    """Further CLI options of a field (``--latitude`` for ``--lat``)."""
    return _OPTION_ALIASES.get(spec.name, ())


def coerce(
    kind: Kind,
    raw: Mapping[str, object],
    *,
    today: dt.date | None = None,
    partial: bool = False,
    style: str = "option",
) -> Coerced:
    """Coerce ``raw`` (field name -> value; ``None`` or ``""`` = not given) for ``kind``.

    With ``partial`` (amendments) required fields may be absent.
    """
    out = Coerced()
    unknown = set(raw) - {s.name for s in kind.fields} - {s.target for s in kind.fields}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidValueError(
            name,
            None,
            f"is not a field of {kind.name}",
            hint="fields: " + ", ".join(s.name for s in kind.fields),
        )
    for spec in kind.fields:
        value = raw.get(spec.name, raw.get(spec.target))
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required and not partial:
                raise InvalidValueError(
                    display(spec, style),
                    None,
                    "is required" if value is None else "is required but empty",
                    hint=f"give {spec.label('en')} ({spec.label('zh')})",
                )
            continue
        _coerce_one(spec, value, out, today=today, style=style)
    _check_texts(kind, out, style)
    if not partial:
        RULES.get(kind.name, _no_rule)(out)
    return out


def _check_texts(kind: Kind, out: Coerced, style: str) -> None:
    """Text and code rules of :mod:`schemas.text_rules` (the same on SQLite and PostgreSQL):
    no control characters, at most the column's length, codes of the allowed characters."""
    from obs.lookup import TABLES  # the table (its column lengths) only when a record is made

    columns = TABLES[kind.name].__table__.c
    for spec in kind.fields:
        value = out.values.get(spec.target)
        if spec.type != "text" or not isinstance(value, str):
            continue
        length = getattr(columns[spec.target].type, "length", None) or TEXT_MAX_CHARS
        check = check_code if CODE_FIELDS.get(kind.name) == spec.name else check_text
        check(display(spec, style), value, max_chars=length)
    for name, ref in out.refs.items():
        check_text(display(kind.field(name), style), ref, max_chars=TEXT_MAX_CHARS)


def check_field(spec: FieldSpec, value: object, *, today: dt.date | None = None) -> None:
    """Raise InvalidValueError when one value of a field cannot be stored (prompts use it)."""
    if spec.type != "ref" and value not in (None, ""):
        _coerce_one(spec, value, Coerced(), today=today, style="option")


def _coerce_one(
    spec: FieldSpec, value: object, out: Coerced, *, today: dt.date | None, style: str
) -> None:
    name = display(spec, style)
    if spec.type == "ref":
        out.refs[spec.name] = parse.normalise(str(value))
        return
    typed = _PARSERS[spec.type](name, value, spec, today)
    if spec.name in _INT_CODES:
        typed = int(typed)
    if spec.limits is not None and isinstance(typed, int | float):
        _check_limits(name, typed, spec, out)
    out.values[spec.target] = typed


def _check_limits(name: str, value: float, spec: FieldSpec, out: Coerced) -> None:
    limits = spec.limits
    assert limits is not None
    if limits.hard_violation(value):
        hard = limits.describe().split(" (soft")[0]
        raise InvalidValueError(
            name,
            _num(value),
            f"is outside the limits {hard}",
            hint=f"{spec.label('zh')} / {spec.label('en')} must lie within "
            f"{hard}; check the value and its decimal point",
        )
    if limits.soft_violation(value):
        out.warnings.append(
            f"{name} {_num(value)} is unusual (expected "
            f"{limits.describe().split('(soft ')[-1].rstrip(')')}); stored"
        )


def _num(value: float) -> str:
    return f"{value:g}"


def _text(_n: str, v: object, _s: FieldSpec, _t: dt.date | None) -> str:
    return parse.normalise(str(v))


def _code(n: str, v: object, s: FieldSpec, _t: dt.date | None) -> str:
    assert s.vocab is not None
    return parse.parse_code(n, v, VOCABULARIES[s.vocab], s.vocab)


def _codes(n: str, v: object, s: FieldSpec, _t: dt.date | None) -> str:
    assert s.vocab is not None
    return parse.parse_codes(n, v, VOCABULARIES[s.vocab], s.vocab)


_PARSERS: dict[str, Callable[[str, object, FieldSpec, dt.date | None], Any]] = {
    "date": lambda n, v, s, t: parse.parse_date(n, v, today=t),
    "time": lambda n, v, s, t: parse.parse_time(n, v),
    "float": lambda n, v, s, t: parse.parse_float(n, v),
    "int": lambda n, v, s, t: parse.parse_int(n, v),
    "bool": lambda n, v, s, t: parse.parse_bool(n, v),
    "text": _text,
    "code": _code,
    "codes": _codes,
}


# --- cross-field rules, one per kind ------------------------------------------------------


def _no_rule(_out: Coerced) -> None:
    return None


def _station_rule(out: Coerced) -> None:
    code = str(out.values.get("code", "")).upper()
    if not STATION_CODE_RE.match(code):
        raise InvalidValueError(
            "code",
            out.values.get("code"),
            "is not a station code (5 characters: 5 digits, or a letter and 4 digits)",
            hint="e.g. 57511 or A1234",
        )
    out.values["code"] = code


def _phenology_rule(out: Coerced) -> None:
    v = out.values
    stage = STAGES_BY_CODE[v["stage_code"]]
    if not stage.observed:
        raise InvalidValueError(
            "--stage",
            stage.code,
            "is derived, not observed",
            hint="record the stages it is derived from instead",
        )
    v.setdefault("reached", True)
    counts = [v.get(k) for k in ("flowers_open", "buds_unopened", "flowers_withered")]
    if any(c is not None for c in counts):
        total = sum(c or 0 for c in counts)
        if total > 0:
            v["open_ratio"] = round(100.0 * (v.get("flowers_open") or 0) / total, 1)


def _weather_rule(out: Coerced) -> None:
    v = out.values
    if not any(e.code in v for e in DAILY_ELEMENTS) and not v.get("phenomena"):
        raise InvalidValueError(
            "weather",
            None,
            "no element given",
            hint="give at least one of --tmax --tmin --tmean --precip --rh "
            "--sunshine --wind (see: obs vocab elements)",
        )
    tmin, tmean, tmax = v.get("t_min"), v.get("t_mean"), v.get("t_max")
    _order("--tmin", tmin, "--tmean", tmean)
    _order("--tmean", tmean, "--tmax", tmax)
    _order("--tmin", tmin, "--tmax", tmax)
    for hour in ("t02", "t08", "t14", "t20"):
        _order("--tmin", tmin, f"--{hour}", v.get(hour))
        _order(f"--{hour}", v.get(hour), "--tmax", tmax)
    parts = (v.get("precip_20_08"), v.get("precip_08_20"))
    if None not in parts and v.get("precip") is None:
        v["precip"] = round(parts[0] + parts[1], 1)  # type: ignore[operator]
    elif None not in parts and abs(parts[0] + parts[1] - v["precip"]) > _precip_tolerance():  # type: ignore[operator]
        raise InvalidValueError(
            "--precip",
            _num(v["precip"]),
            f"differs from 20–08 + 08–20 = {parts[0] + parts[1]:g} mm",  # type: ignore[operator]
            hint="the 20–20 total is the sum of its two halves",
        )
    gust, mean = v.get("wind_gust"), v.get("wind_mean")
    if gust is not None and mean is not None and gust < mean:
        out.warnings.append(f"--wind-gust {gust:g} is below --wind {mean:g}; stored")
    daily_mean(v)


def daily_mean(v: dict[str, Any]) -> None:
    """The daily mean as the convention orders it (spec §10.3): as recorded, else the mean of
    02/08/14/20 BT, else (Tmax + Tmin)/2, half up to 0.1 °C; the method is kept with the
    value. The mean is rounded to 9 places first: 15.2 + 6.1 is 21.299999999999997 in binary,
    and its half must round as 10.65 does (to 10.7). ``obs import weather`` derives the mean of
    daily files with this rule too."""
    if v.get("t_mean") is not None:
        v.setdefault("tmean_method", "given")
        return
    fixed = [v.get(hour) for hour in ("t02", "t08", "t14", "t20")]
    if all(t is not None for t in fixed):
        v["t_mean"], v["tmean_method"] = parse.half_up(round(sum(fixed) / 4, 9)), "4obs"  # type: ignore[arg-type]
    elif v.get("t_max") is not None and v.get("t_min") is not None:
        mean = round((v["t_max"] + v["t_min"]) / 2, 9)
        v["t_mean"], v["tmean_method"] = parse.half_up(mean), "maxmin"


def _order(low_name: str, low: float | None, high_name: str, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise InvalidValueError(
            low_name,
            _num(low),
            f"is above {high_name} {_num(high)}",
            hint="every temperature of the day (mean, 02/08/14/20 BT) lies between its minimum "
            "and its maximum",
        )


def _dates_rule(start: str, end: str, obs: str | None) -> Callable[[Coerced], None]:
    def rule(out: Coerced) -> None:
        v = out.values
        first, last = v.get(start), v.get(end)
        if first is not None and last is not None and last < first:
            raise InvalidValueError(
                "--end",
                last,
                f"is before --start {first}",
                hint="an event ends on or after the day it starts",
            )
        seen = v.get(obs) if obs else None
        if seen is not None and last is not None and last > seen:
            raise InvalidValueError(
                "--end",
                last,
                f"is after the observation date {seen}",
                hint="record the end date once it has passed",
            )
        if seen is not None and first is not None and first > seen:
            raise InvalidValueError(
                "--start",
                first,
                f"is after the observation date {seen}",
                hint="an event is observed on or after it starts",
            )

    return rule


def _disaster_rule(out: Coerced) -> None:
    _dates_rule("start_date", "end_date", "obs_date")(out)
    v = out.values
    shares = [p for p in (v.get("plants_affected_pct"), v.get("organ_damage_pct")) if p is not None]
    if shares:
        expected = int(V.severity_for_pct(max(shares)))
        if v.get("severity") is None:
            v["severity"] = expected
        elif v["severity"] != expected:
            out.warnings.append(
                f"--severity {v['severity']} disagrees with the damaged share "
                f"{max(shares):g} % (table says {expected}); stored"
            )


def _pest_rule(out: Coerced) -> None:
    v = out.values
    v["pest_kind"] = V.PESTS_BY_CODE[v["pest_code"]].kind
    share = v.get("incidence_pct", v.get("disease_index"))
    if share is not None and v.get("damage_level") is None:
        level = V.DAMAGE_LEVEL[0]
        for candidate in V.DAMAGE_LEVEL:
            if share >= candidate.min_pct:
                level = candidate
        v["damage_level"] = int(level.code)


def _item_rule(items: Mapping[str, V.MeasuredItem]) -> Callable[[Coerced], None]:
    def rule(out: Coerced) -> None:
        v = out.values
        item = items[v["item_code"]]
        v["unit"] = item.unit
        spec = FieldSpec("value", item.zh, item.en, "float", limits=item.limits)
        _check_limits("--value", v["value"], spec, out)
        if item.integer and not float(v["value"]).is_integer():
            raise InvalidValueError(
                "--value", _num(v["value"]), f"{item.en} is a count", hint="give a whole number"
            )

    return rule


RULES: dict[str, Callable[[Coerced], None]] = {
    "station": _station_rule,
    "phenology": _phenology_rule,
    "weather": _weather_rule,
    "disaster": _disaster_rule,
    "pest": _pest_rule,
    "fieldwork": _dates_rule("start_date", "end_date", None),
    "growth": _item_rule(V.GROWTH_ITEMS_BY_CODE),
    "yield": _item_rule(V.YIELD_ITEMS_BY_CODE),
}
