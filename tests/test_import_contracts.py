"""The layers of the house, checked by import-linter with the contracts in pyproject.toml.

Each contract is its own test so that one broken layer names itself, with import-linter's report (the exact
import chain) as the failure message.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"

EXPECTED_BROKEN: dict[str, str] = {}
"""Contracts known to be broken, with the reason (strict xfails): none today."""


def _contract_ids() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [c["id"] for c in config["tool"]["importlinter"]["contracts"]]


def _params() -> list[object]:
    marks = {cid: pytest.mark.xfail(strict=True, reason=why) for cid, why in EXPECTED_BROKEN.items()}
    return [pytest.param(cid, marks=marks.get(cid, ()), id=cid) for cid in _contract_ids()]


def test_the_contracts_cover_the_layers_the_design_names() -> None:
    assert {"core-no-front-ends", "core-layers", "front-ends-above-core", "binary-reader-alone",
            "no-cycles"} <= set(_contract_ids())


@pytest.mark.parametrize("contract", _params())
def test_import_contract_is_kept(contract: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo", "--contract", contract],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    report = out.stdout + out.stderr
    assert "Analyzed" in report, report  # the graph was built: a config error is not a pass
    assert out.returncode == 0, report
