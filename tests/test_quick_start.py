"""The README's quick start stays true: its launch command opens the window on a sample and closes cleanly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second() -> None:
    install_and_launch, install_and_test = quick_start_commands()
    assert install_and_launch.startswith("pip install . && wasi-playground samples/")
    assert "pytest" in install_and_test
    assert 'grep -m1 \'^pip install "\\.\\[test\\]"\' README.md' in (REPO / ".ci" / "run").read_text()
    assert install_and_test.startswith('pip install ".[test]"')


def test_the_launch_command_opens_the_window_on_the_sample(tmp_path: Path) -> None:
    install_and_launch = quick_start_commands()[0]
    sample = install_and_launch.split("wasi-playground ", 1)[1].strip()
    assert (REPO / sample).is_file()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WASI_PLAYGROUND_QUIT_AFTER_MS="1000",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "wasi_playground", sample], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "panicked" not in done.stderr and "Traceback" not in done.stderr
