"""How a command gets what every command shares: its settings (flags from
``options.OPTIONS``, the environment, datapakke.toml), ``--config``, ``--quiet``,
``--verbose`` and ``--log``, and errors turned into messages and exit codes.

``@takes_options("build")`` adds the flags of every setting that names ``build`` to the
command's own parameters; the command receives ``config``, a Configuration, if it
has a parameter of that name.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from datapakke.cli.app import err, fail
from datapakke.cli.config import resolve
from datapakke.cli.logs import CLI_LOGGER, console_level, logging_to
from datapakke.cli.options import CONFIG_FILE, SettingOption, options_for
from datapakke.errors import DatapakkeError

SETTINGS_PANEL = "Settings (each also DATAPAKKE_<NAME> or a line in datapakke.toml)"
OUTPUT_PANEL = "Messages"

Command = Callable[..., None]


def _keyword(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=annotation)  # fmt: skip


def _setting_parameter(option: SettingOption) -> inspect.Parameter:
    names = [f"{option.flag}/--no-{option.key}" if option.kind.flag_type is bool else option.flag]
    if option.short:
        names.append(option.short)
    # Rich markup would swallow "[default: ...]"; the backslash keeps it.
    text = f"{option.help} \\[default: {option.default_shown()}]"
    info = typer.Option(*names, help=text, show_default=False, metavar=option.kind.metavar,
                        rich_help_panel=SETTINGS_PANEL)  # fmt: skip
    return _keyword(option.param, Annotated[option.kind.flag_type | None, info])


CONFIG_PARAMETER = _keyword(
    "config_file",
    Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=f"Settings file \\[default: ./{CONFIG_FILE} if there is one].",
            metavar="FILE",
            show_default=False,
            rich_help_panel=SETTINGS_PANEL,
        ),
    ],
)


def _message_option(*names: str, help: str, metavar: str | None = None) -> Any:
    return typer.Option(*names, help=help, metavar=metavar, rich_help_panel=OUTPUT_PANEL)


MESSAGE_PARAMETERS = (
    _keyword("quiet", Annotated[bool, _message_option("--quiet", "-q", help="Only warnings and "
                                                      "errors.")], False),
    _keyword("verbose", Annotated[bool, _message_option("--verbose", "-v", help="Also the "
                                                        "details (timings, files).")], False),
    _keyword("log_file", Annotated[Path | None, _message_option(
        "--log", help="Also write every message, with its time, to this file.", metavar="FILE")]),
)  # fmt: skip


def takes_options(command: str) -> Callable[[Command], Command]:
    """Give ``command``'s function its settings and message options (see the module)."""
    options = options_for(command)

    def decorate(body: Command) -> Command:
        signature = inspect.signature(body, eval_str=True)
        wants_config = "config" in signature.parameters
        own = [p for p in signature.parameters.values() if p.name != "config"]
        added = [_setting_parameter(o) for o in options]
        if options:
            added.append(CONFIG_PARAMETER)
        added += MESSAGE_PARAMETERS

        @functools.wraps(body)
        def invoke(**kwargs: Any) -> None:
            flags = {o.key: kwargs.pop(o.param) for o in options}
            config_file = kwargs.pop("config_file", None)
            quiet, verbose, log_file = (kwargs.pop(k) for k in ("quiet", "verbose", "log_file"))
            try:
                with logging_to(err, console_level(quiet=quiet, verbose=verbose), log_file):
                    try:
                        configuration = resolve(command, flags, config_file)
                        for key, value, source in configuration.describe():
                            CLI_LOGGER.debug("Setting %s = %s (%s)", key, value, source)
                        if wants_config:
                            kwargs["config"] = configuration
                        body(**kwargs)
                    except DatapakkeError as error:
                        CLI_LOGGER.error("%s", error, extra={"console": False})
                        raise
            except DatapakkeError as error:
                fail(error)

        parameters = [*own, *added]
        invoke.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        invoke.__annotations__ = {p.name: p.annotation for p in parameters}
        return invoke

    return decorate
