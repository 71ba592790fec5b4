"""The ``coop`` command group. Subcommands are imported only when invoked, to keep start-up small.

Library errors become exit code 2 here, in one place; nothing else reaches the terminal as a
traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from .. import __version__
from ..errors import CoopError, InputError, Location, printable
from .common import FORMAT_KEY, emit_json, error_json, say

# name -> (module, help); the module exposes a click command named ``command``.
COMMANDS: dict[str, tuple[str, str]] = {
    "expr": ("coopengine.cli.expr", "Parse, validate and normalise an SPDX licence expression."),
    "licence": ("coopengine.cli.licence", "The knowledge base's facts on one licence or exception."),
    "compat": ("coopengine.cli.compat", "Can inbound code go into a work under the outbound licence?"),
    "outbound": ("coopengine.cli.outbound", "Ranked outbound licences for a work containing EXPR."),
    "reuse": ("coopengine.cli.reuse", "May the recipient reuse the solution without an MOU?"),
    "check": ("coopengine.cli.check", "Static checks of agreement and tender files."),
    "fmt": ("coopengine.cli.fmt", "Canonical formatting of agreement files."),
    "test": ("coopengine.cli.test", "Run decision test cases for agreements."),
    "sbom": ("coopengine.cli.sbom", "Check every SBOM component against the outbound licence."),
    "tender": ("coopengine.cli.tender", "Check a bid against a tender's requirements."),
    "catalogue": ("coopengine.cli.catalogue", "Which solutions of a catalogue can be reused without an MOU?"),
    "conditions": ("coopengine.cli.conditions", "The conditions applying to reuse of a solution (IEA statement)."),
    "publiccode": ("coopengine.cli.publiccode", "Check publiccode.yml files against the standard (decides nothing)."),
    "serve": ("coopengine.cli.serve", "Start the workbench: local web pages and an HTTP API."),
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # The one place where library errors become the contract's exit code 2.
        try:
            return super().invoke(ctx)
        except CoopError as exc:
            report(ctx, exc)
        except click.UsageError as exc:
            if not _json_wanted(ctx):
                raise
            report(ctx, InputError(exc.format_message(), location=Location("<command line>"), code="E002"))
        except RecursionError:
            report(ctx, InputError("the input is nested too deeply to process"))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        try:
            command: click.Command = importlib.import_module(entry[0]).command
        except ModuleNotFoundError as exc:
            if exc.name != entry[0]:
                raise
            return None
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from ..errors import did_you_mean

            hits = did_you_mean(name, self.list_commands(ctx))
            hint = f" Did you mean '{hits[0]}'?" if hits else ""
            raise click.UsageError(f"No such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)


def _json_wanted(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(FORMAT_KEY) == "json")


def report(ctx: click.Context, exc: CoopError) -> None:
    """An input error: on stderr, and with ``--format json`` also as ``coopengine/error/v1`` on stdout; exit 2."""
    say(exc.render())
    if _json_wanted(ctx):
        emit_json(error_json(exc))
    ctx.exit(2)


def _available(module: str) -> bool:
    import importlib.util  # only for listing commands

    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coop")
def cli() -> None:
    """coopengine: may a public body reuse another's software without an MOU?

    Exit codes: 0 yes, 1 no, 2 bad input, 3 a human step is needed (conditional, MOU),
    4 unknown or undetermined.
    """


def main(argv: list[str] | None = None) -> None:
    try:
        # With standalone_mode off, click returns the code of a ctx.exit() instead of exiting.
        code = cli.main(args=argv, prog_name="coop", standalone_mode=False)
        if isinstance(code, int):
            sys.exit(code)
    except CoopError as exc:
        say(exc.render())
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        # It may quote an argument (a command name, an option value); click declares message Final.
        exc.message = printable(exc.message)  # type: ignore[misc]
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(2)
    except RecursionError:
        click.echo("error: the input is nested too deeply to process", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("COOP_DEBUG"):
            raise
        click.echo(printable(f"internal error: {type(exc).__name__}: {exc} (set COOP_DEBUG=1 for details)"),
                   err=True)
        sys.exit(2)
    sys.exit(0)


def run(code: int) -> Any:
    """Commands end through here so that the exit code is the contract's."""
    sys.exit(code)
