"""The command group itself: every command has help with an example, and the group stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from gendan.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`gendan {name} --help` shows no example"


def test_group_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_cli_does_not_import_streamlit_or_plotly():
    """`gendan kpi` must start fast: the heavy UI libraries load only to serve."""
    probe = (
        "import sys; from gendan.cli import main; "
        "from click.testing import CliRunner; CliRunner().invoke(main, ['kpi', '--help']); "
        "print(sorted(m for m in ('streamlit', 'plotly') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
