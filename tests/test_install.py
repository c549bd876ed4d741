"""`make run` installs what serving needs, `make test` the test tools too; neither warns about `src`."""

import subprocess
import sys

from tests.live_server import ROOT


def dry_run(target: str, tmp_path) -> str:
    """The commands `make TARGET` runs on a fresh machine (a venv that does not exist yet)."""
    result = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_installs_no_test_tools_and_make_test_does(tmp_path):
    run, test = dry_run("run", tmp_path), dry_run("test", tmp_path)
    assert "pip install" in run and "[test]" not in run
    assert "'.[test]'" in test


def test_installing_the_package_named_src_gives_no_warning(tmp_path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True, timeout=60)
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(tmp_path / "venv" / "bin" / "python"),
                             "install", "--no-deps", "-e", str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Please be careful with folders" not in result.stderr + result.stdout
    assert "BuildBackendWarning" not in result.stderr + result.stdout
