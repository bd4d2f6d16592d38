"""The Overview's "Elsewhere" block, from real reports: what runs first, with its command and evidence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTextBrowser

from wasi_playground.core.inspect.report import inspect_path
from wasi_playground.core.inspect.runtimes import RuntimeVerdict
from wasi_playground.gui.inspector.runtimes_html import runtimes_html

SAMPLES = Path(__file__).parent.parent / "samples"


def test_component_lists_runners_first_with_commands(qtbot) -> None:
    report = inspect_path(SAMPLES / "hello-component" / "hello-component.wasm")
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(runtimes_html(report.runtimes))
    text = browser.toPlainText()
    assert text.startswith("Elsewhere")
    assert text.index("wasmtime") < text.index("docker") < text.index("wasmer")
    assert "wasmtime run hello-component.wasm" in text
    assert "runs core modules, not components" in text
    assert "evidence: wasi:cli/run@0.2.12" in text


def test_long_evidence_is_cut_and_markup_escaped() -> None:
    verdict = RuntimeVerdict("x<y", True, "a & b", tuple(f"m.f{i}" for i in range(7)), ("c", "<d>"))
    html = runtimes_html([verdict])
    assert "x&lt;y" in html and "a &amp; b" in html and "c &#x27;&lt;d&gt;&#x27;" in html
    assert "m.f3" in html and "m.f4" not in html and "and 3 more" in html
    assert runtimes_html([]) == ""
