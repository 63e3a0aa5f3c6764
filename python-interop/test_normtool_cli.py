"""The built normtool answers --help and lists its subcommands."""
import subprocess


def test_help_runs(normtool):
    result = subprocess.run([normtool, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "normtool" in result.stdout
