"""HTML from Jinja2 templates, rendered in a sandbox.

Templates are looked up in the user's folder first and in the bundled set after
it; ``default:pack.html.j2`` always names the bundled one, so a user template can
extend it and override single blocks (as in datasette).

A template folder is untrusted input (it is shared between analysts), so every
template, bundled or not, runs in Jinja's immutable sandbox: no attribute that
starts with ``_``, no Python internals, no changing the pack, and nothing that
reaches the file system. A template file that is a symbolic link out of its
folder is refused, as is one that is not a regular file.
"""

from __future__ import annotations

import base64
import io
import os
import traceback
import types
from pathlib import Path
from typing import Any

import jinja2
import jinja2.loaders
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from datapakke import numbers
from datapakke.errors import InputError
from datapakke.pack.model import Cell, Pack, TableColumn
from datapakke.paths import bundled_templates_dir
from datapakke.render import charts
from datapakke.render.charts.style import house_style

PACK_TEMPLATE = "pack.html.j2"
PROFILE_TEMPLATE = "profile.html.j2"
# The template of each document (run.settings.Document): the full pack, the profile.
TEMPLATES: dict[str, str] = {"fuld": PACK_TEMPLATE, "kort": PROFILE_TEMPLATE}


# Objects whose public methods reach files, processes or modules: a template may not
# touch them even where the sandbox would allow it (defence in depth: the pack holds none).
FILE_SYSTEM_TYPES: tuple[type, ...] = (os.PathLike, io.IOBase, types.ModuleType)


class PackSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, and no attribute of a path, file or module."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Whether a template may read ``obj.attr`` (Jinja asks on every attribute)."""
        if isinstance(obj, FILE_SYSTEM_TYPES):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from one folder only: a symbolic link out of it, or a device, is refused."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, once its real path is known to be a file in the folder."""
        candidate = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if candidate.is_symlink() or candidate.exists():
            real = candidate.resolve()
            if not real.is_relative_to(self.folder):
                raise SecurityError(
                    f"the template {template!r} is a link to {real}, outside the template "
                    f"folder {self.folder}"
                )
            if not real.is_file():
                raise SecurityError(f"the template {template!r} is not a regular file")
        return super().get_source(environment, template)


def template_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """A sandboxed Jinja environment over the user's templates (if any) and the bundled ones."""
    bundled = ConfinedLoader(bundled_templates_dir())
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        if not user_templates.is_dir():
            raise InputError(
                f"{user_templates}: no such template folder.",
                hint="Point --templates at a folder with templates that override the bundled "
                "ones (for example a pack.html.j2 that extends 'default:pack.html.j2').",
            )
        loaders.append(ConfinedLoader(user_templates))
    loaders += [jinja2.PrefixLoader({"default": bundled}, delimiter=":"), bundled]
    environment = PackSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        tal=numbers.tal,
        heltal=numbers.heltal,
        med_enhed=numbers.med_enhed,
        dato=numbers.dato,
        aar_interval=numbers.aar_interval,
        celle=format_cell,
        vaerdi=format_value,
        data_uri=svg_data_uri,
        chart_uri=chart_data_uri,
    )
    return environment


def format_value(value: Cell, decimals: int = 0) -> str:
    """A number of the pack as the reader sees it, in one place for every table and cell:
    Danish digits with ``decimals``, a label ("<5", "ikke opgjort") as it is, no value as a
    dash. Pack builders keep numbers as numbers; only sentences hold formatted ones."""
    if isinstance(value, str):
        return value
    if value is None:
        return numbers.MISSING
    return numbers.tal(value, decimals)


def format_cell(value: Cell, column: TableColumn, row_decimals: int | None = None) -> str:
    """A data table's cell, with its column's decimals, else its row's (``row_decimals``,
    in a table whose rows differ), else none."""
    decimals = column.decimals if column.decimals is not None else row_decimals
    return format_value(value, decimals or 0)


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI for an ``<img>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


class TemplateRenderError(InputError):
    """A template that cannot be compiled or rendered, with where it went wrong."""

    def __init__(
        self,
        message: str,
        *,
        template: str,
        line: int | None,
        detail: str,
        hint: str = "Correct the template (or remove the override) and run again.",
    ) -> None:
        super().__init__(message, hint=hint)
        self.template = template
        self.line = line
        self.detail = detail


def chart_data_uri(spec: charts.ChartSpec) -> str:
    """Draw a small chart (the key figures' spines) straight into a ``data:`` URI."""
    return svg_data_uri(charts.draw(spec))


def draw_charts(pack: Pack, document: str = "fuld") -> dict[str, str]:
    """Every chart of the document (the full pack, or the profile) as SVG text, by figure id."""
    figures = pack.charts if document == "fuld" else pack.profile_charts
    with house_style():  # once for all of them
        return {figure.id: charts.draw(figure.chart) for figure in figures if figure.chart}


def render_html(
    pack: Pack,
    svgs: dict[str, str],
    environment: jinja2.Environment,
    template_name: str = PACK_TEMPLATE,
) -> str:
    """The pack (or its profile, by ``template_name``) as one self-contained HTML document
    (styles and charts inlined)."""
    try:
        template = environment.get_template(template_name)
        return template.render(pack=pack, charts=svgs)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or template_name
        raise TemplateRenderError(
            f"{where}:{error.lineno}: template syntax error: {error.message}",
            template=where,
            line=error.lineno,
            detail=error.message or str(error),
        ) from error
    except SecurityError as error:
        where, line = _failing_template_line(error)
        raise TemplateRenderError(
            f"{where}:{line or '?'}: the template tried something the sandbox forbids: {error}",
            template=where,
            line=line,
            detail=str(error),
            hint="Templates run in a sandbox: they may show the pack's values, but not reach "
            "Python internals (names with '_'), change the pack, or open files. Remove that "
            "expression from the template.",
        ) from error
    except (jinja2.TemplateError, ArithmeticError) as error:  # the sandbox's range limit too
        where, line = _failing_template_line(error)
        raise TemplateRenderError(
            f"{where}:{line or '?'}: template error while rendering {template_name}: {error}",
            template=where,
            line=line,
            detail=str(error),
        ) from error


def _failing_template_line(error: BaseException) -> tuple[str, int | None]:
    """The template file and line a rendering error came from.

    Jinja rewrites tracebacks so that template code appears as frames of the
    template file at its own line numbers; the innermost such frame is the culprit.
    """
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.endswith(".py") and frame.filename not in ("<stdin>", "<string>")
    ]
    if not frames:
        return PACK_TEMPLATE, None
    return frames[-1].filename, frames[-1].lineno
