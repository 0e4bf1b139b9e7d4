"""Options shared by commands, and commands generated from a kind's field declarations."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.render import LangChoice, OutputFormat, SheetFormat
from schemas.kinds import FieldSpec, Kind

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
SheetFormatOption = Annotated[
    SheetFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format; xlsx (a workbook) and pdf (A4 landscape) need --output.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=False),
]
StationOption = Annotated[str | None, typer.Option("--station", help="Station code.")]
SeasonOption = Annotated[
    str | None,
    typer.Option("--season", help="Season named by the year its bloom starts: 2024 or 2024/25."),
]
YearOption = Annotated[int | None, typer.Option("--year", help="Calendar year.")]
BomOption = Annotated[
    bool | None,
    typer.Option(
        "--bom/--no-bom",
        help="CSV: start with a UTF-8 BOM so that Excel reads Chinese (default: the config's "
        "csv_bom, else on for report files written with --output in zh).",
        show_default=False,
    ),
]


LangOption = Annotated[
    LangChoice | None,
    typer.Option(
        "--lang", help="Labels: zh or en (default: the global --lang).", show_default=False
    ),
]

Handler = Callable[[typer.Context, dict[str, Any], OutputFormat, Path | None], None]


def field_help(spec: FieldSpec) -> str:
    """Help text of a field: both labels, the limits and where codes come from."""
    text = f"{spec.en} / {spec.zh}"
    if spec.limits is not None:
        text += f" [{spec.limits.describe()}]"
    if spec.vocab:
        text += f" (code; see: obs vocab {spec.vocab})"
    if spec.type == "date":
        text += " (YYYY-MM-DD)"
    if spec.type == "codes":
        text += " (comma list)"
    return text + (" [required]" if spec.required else "")


def kind_command(
    kind: Kind,
    handler: Handler,
    *,
    doc: str,
    positional: str | None = None,
    option_name: Callable[[FieldSpec], str],
    option_aliases: Callable[[FieldSpec], tuple[str, ...]] = lambda spec: (),
) -> Callable[..., None]:
    """A typer command whose options are the kind's fields, all taken as text.

    Values are parsed by the engine, so a bad value gets the same message everywhere.
    """
    params = [inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)]
    for spec in kind.fields:
        marker: Any = (
            typer.Argument(help=field_help(spec), show_default=False)
            if spec.name == positional
            else typer.Option(
                option_name(spec),
                *option_aliases(spec),
                help=field_help(spec),
                show_default=False,
            )
        )
        params.append(
            inspect.Parameter(
                spec.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[str | None, marker],
                default=None,
            )
        )
    params += [
        inspect.Parameter(
            "fmt",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                OutputFormat | None,
                typer.Option(
                    "--format",
                    "-f",
                    help="Also print the stored record on stdout: table, csv or json.",
                ),
            ],
            default=None,
        ),
        inspect.Parameter(
            "output", inspect.Parameter.KEYWORD_ONLY, annotation=OutputOption, default=None
        ),
    ]

    def command(**kwargs: Any) -> None:
        ctx = kwargs.pop("ctx")
        fmt, output = kwargs.pop("fmt"), kwargs.pop("output")
        handler(ctx, kwargs, fmt, output)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = doc
    command.__name__ = f"{kind.name}_command"
    return command
