"""The `gendan` command group.

Each command lives in its own module under `gendan.commands` and is imported only
when it runs, so `gendan kpi` does not pay for importing Streamlit or Plotly.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

# command name -> (module under gendan.commands, one-line summary shown in `gendan --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "load": ("load", "Load a folder of contract files (CSV/XLSX) into the warehouse."),
    "kpi": ("kpi", "Print every KPI of the metric layer as of a date."),
    "review": ("review", "Write the weekly review of a week as Excel or HTML."),
    "demo": ("demo", "Write a realistic demo data set and load it."),
    "serve": ("serve", "Serve the dashboard."),
    "bench": ("bench", "Benchmark loads and metric queries at scale."),
    "receive": ("receive", "Record a goods receipt on a PO line."),
    "ship": ("ship", "Record a shipment of an order line."),
    "pay": ("pay", "Record a payment received against an invoice."),
    "order": ("order", "Show or change an order line: due date, priority, cancel."),
    "report": ("report", "Enter a production daily report row."),
    "note": ("note", "Follow-up notes: add, done, list."),
    "user": ("user", "Users and roles: add, remove, passwd, list."),
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command is invoked or its help is shown."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _) in COMMANDS.items() if _module_exists(module))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _module_exists(COMMANDS[name][0]):
            return None
        module = importlib.import_module(f"gendan.commands.{COMMANDS[name][0]}")
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(f"gendan.commands.{module}") is not None


@click.group(cls=LazyGroup)
@click.version_option(package_name="gendan")
def main() -> None:
    """gendan (跟单): which orders ship late, what to chase today, how the week went.

    \b
    Quick start:
        gendan demo              # write demo data and load it into ./gendan.duckdb
        gendan kpi               # every KPI as of today
        gendan serve             # the dashboard
    """
