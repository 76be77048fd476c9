"""``datapakke init DIR``: a project folder to start customising from working files.

DIR gets a commented ``datapakke.toml`` (every setting, from ``options.OPTIONS``),
``templates/`` with a ``pack.html.j2`` that extends the bundled one and a
``custom.css`` loaded after the bundled style (both keep working as datapakke is
updated), ``reference/`` with verbatim copies of the bundled templates to read
or copy from, and ``katalog.toml``, a copy of the bundled catalogue.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

from datapakke import __version__
from datapakke.cli.config import CONFIG_ENV
from datapakke.cli.options import CONFIG_FILE, OPTIONS, SettingOption
from datapakke.errors import UsageError
from datapakke.files import ensure_folder, write_text

TEMPLATES, REFERENCE, CATALOGUE = "templates", "reference", "katalog.toml"
# Settings the project file sets (the others stay commented, at their defaults).
ACTIVE = {"templates": TEMPLATES}

PACK_TEMPLATE = """\
{#- Your pack template. It extends the bundled one ("default:pack.html.j2"), so a
    newer datapakke brings its improvements here too; override only the blocks you
    want to change. The blocks, in page order: styles, front_page, contents,
    messages, key_figures, sections, methods. reference/templates/ holds the bundled
    files to read: a block's include (e.g. front_page.html.j2) copied into this folder
    replaces the bundled one. -#}
{% extends "default:pack.html.j2" %}

{#- The bundled style, then yours (custom.css), which can override any rule. -#}
{% block styles %}
{{ super() }}
{% include "custom.css" %}
{% endblock %}

{#- An example: a line of your own above the front page.
{% block front_page %}
<p class="notes">Udarbejdet af Sundhedsklyngens sekretariat.</p>
{{ super() }}
{% endblock %}
-#}
"""

CUSTOM_CSS = """\
/* Your style: loaded after the bundled pack.css (see reference/templates/pack.css),
   so a rule here wins. The pack's colours are CSS variables, e.g.

   :root { --accent: #006d2c; }
   h1 { letter-spacing: 0.02em; }

   Keep the comparison colours (--better, --worse, ...): they are chosen to be
   told apart by colour-blind readers and are explained in words beside them. */
"""


def init_project(folder: Path, *, force: bool = False) -> list[Path]:
    """Write the starting files into ``folder``; return them. Existing files are kept
    (nothing is written) unless ``force``."""
    from datapakke.engine.catalogue import CATALOGUE_FILE, load_catalogue
    from datapakke.paths import bundled_templates_dir

    bundled = bundled_templates_dir()
    reference = sorted(p for p in bundled.iterdir() if p.is_file())
    files: dict[Path, str | Path] = {
        folder / CONFIG_FILE: config_text(load_catalogue(None).version),
        folder / TEMPLATES / "pack.html.j2": PACK_TEMPLATE,
        folder / TEMPLATES / "custom.css": CUSTOM_CSS,
        folder / CATALOGUE: CATALOGUE_FILE,
        **{folder / REFERENCE / TEMPLATES / p.name: p for p in reference},
    }
    existing = [path.relative_to(folder).as_posix() for path in files if path.exists()]
    if existing and not force:
        more = f" and {len(existing) - 2} more" if len(existing) > 2 else ""
        raise UsageError(
            f"{folder}: {', '.join(existing[:2])}{more} already there; nothing was written.",
            hint="Choose an empty folder, or add --force to overwrite these files.",
        )
    for path, content in files.items():
        ensure_folder(path.parent)
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            write_text(path, content)
    return list(files)


def config_text(catalogue_version: str) -> str:
    """A datapakke.toml with every setting explained; only ``ACTIVE`` ones are set."""
    head = f"""\
# datapakke.toml: the settings of this project (written by datapakke {__version__} init).
#
# datapakke reads this file when it runs in this folder, or from --config FILE
# (or {CONFIG_ENV}). A flag beats an environment variable (DATAPAKKE_DATA, ...),
# which beats this file, which beats the default; `datapakke config` shows each
# value and where it came from. Paths are relative to this file's folder.
# Remove the "# " in front of a setting to use it.

"""
    parts = [head, *(_setting_lines(option) for option in OPTIONS)]
    parts.append(f"""\
# katalog.toml is a copy of the bundled indicator catalogue (version {catalogue_version}).
# While the catalogue line above stays commented, the bundled catalogue is used,
# and a newer datapakke brings its corrections. Set catalogue = "{CATALOGUE}" to
# use your edits instead.
""")
    return "".join(parts)


def _setting_lines(option: SettingOption) -> str:
    explained = f"{option.help} [default: {option.default_shown()}]"
    lines = textwrap.wrap(explained, 88, initial_indent="# ", subsequent_indent="# ")
    if option.key in ACTIVE:
        lines.append(f"{option.key} = {_toml(option, ACTIVE[option.key])}")
    else:
        lines.append(f"# {option.key} = {_toml(option, _example(option))}")
    return "\n".join(lines) + "\n\n"


def _example(option: SettingOption) -> str:
    """A value to show: a typical one where the default is not a value, else the default."""
    return option.example or option.default_shown()


def _toml(option: SettingOption, text: str) -> str:
    bare = option.kind.flag_type in (int, float, bool)
    return text if bare else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def files_written(paths: list[Path], folder: Path) -> Iterator[str]:
    """The written files, relative to ``folder``, one folder's files per line."""
    by_folder: dict[Path, list[str]] = {}
    for path in paths:
        by_folder.setdefault(path.parent.relative_to(folder), []).append(path.name)
    for parent, names in by_folder.items():
        where = "" if parent == Path() else f"{parent.as_posix()}/"
        yield f"  {where}{', '.join(names)}"
