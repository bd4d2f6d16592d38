"""Output panes: ANSI colours, bounded tail, save full output, search; the controller caps a flood."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QColor

from wasi_playground.core.engine.config import RunConfig
from wasi_playground.gui.background import Background
from wasi_playground.gui.document.run_controller import DISPLAY_BYTES_PER_TICK, RunController
from wasi_playground.gui.outcome.ansi import AnsiParser, Style, apply_sgr
from wasi_playground.gui.outcome.output_view import OutputView

sys.path.insert(0, str(Path(__file__).parent))
from test_gui_window_modules import ECHO, flood  # noqa: E402


def test_ansi_runs_colours_and_split_sequences() -> None:
    parser = AnsiParser()
    runs = parser.feed("plain \x1b[1;31mred bold\x1b[0m back \x1b[")
    assert runs == [("plain ", Style()), ("red bold", Style(fg="#cd3131", bold=True)), (" back ", Style())]
    assert parser.feed("32mgreen") == [("green", Style(fg="#0dbc79"))]
    assert parser.feed("\x1b[2Jcleared?\x1b]0;title\x07x") == [("cleared?", Style(fg="#0dbc79")),
                                                             ("x", Style(fg="#0dbc79"))]
    assert apply_sgr(Style(), "38;5;196").fg == "#ff0000"
    assert apply_sgr(Style(), "48;2;1;2;3").bg == "#010203"


def test_view_renders_colour_keeps_tail_and_saves_full_output(qtbot, tmp_path) -> None:
    view = OutputView("stdoutView", "stdout", tail_lines=100)
    qtbot.addWidget(view)
    view.append("\x1b[34mblue\x1b[0m\n")
    cursor = view.text.document().find("blue")
    assert cursor.charFormat().foreground().color() == QColor("#2472c8")
    view.append("".join(f"line {i}\n" for i in range(1000)))
    assert view.text.document().blockCount() <= 100
    assert "line 999" in view.text.toPlainText() and "blue" not in view.text.toPlainText()
    spill = tmp_path / "spill.txt"
    spill.write_text("everything\n" * 3)
    view.set_full_output("tail only", str(spill))
    assert view.save_button.isEnabled()
    view.save_full_output(tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text() == "everything\n" * 3
    view.set_full_output("short and complete", None)
    view.save_full_output(tmp_path / "out2.txt")
    assert (tmp_path / "out2.txt").read_text() == "short and complete"
    view.search.setText("line 998")
    assert view.find_next() and view.text.textCursor().selectedText() == "line 998"
    view.search.setText("absent")
    assert not view.find_next() and view.status.text() == "not found"


def test_controller_streams_output_and_caps_a_flood(qtbot, wat) -> None:
    controller = RunController(Background())
    shown: list[str] = []
    skipped: list[int] = []
    controller.output.connect(lambda stream, text: shown.append(text) if stream == "stdout" else None)
    controller.skipped.connect(lambda _stream, n: skipped.append(n))
    with qtbot.waitSignal(controller.finished, timeout=30000) as blocker:
        assert controller.start(wat(flood(24)), RunConfig())
        assert not controller.start(wat(flood(1)), RunConfig())  # one run at a time
    result = blocker.args[0]
    assert result.exit_code == 0 and result.stdout_bytes == 24 * 1024 * 1024
    assert max(len(t) for t in shown) <= DISPLAY_BYTES_PER_TICK
    assert sum(len(t) for t in shown) + sum(skipped) == 24 * 1024 * 1024
    assert sum(skipped) > 0 and not controller.running


def test_controller_reports_phases_and_start_failure(qtbot, wat, tmp_path) -> None:
    controller = RunController(Background())
    phases: list[str] = []
    controller.phaseChanged.connect(phases.append)
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.start(wat(ECHO), RunConfig(args=["x"]))
    assert "run" in phases and phases[-1] != "starting"
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        controller.start(tmp_path / "missing.wasm", RunConfig())
    assert blocker.args[0].error


def test_long_lines_are_broken_for_display_only() -> None:
    from wasi_playground.gui.outcome.output_view import break_long_lines

    assert break_long_lines("abc", 0, 10) == ("abc", 3)
    assert break_long_lines("abcdefgh", 6, 10) == ("abcd\nefgh", 4)
    assert break_long_lines("x" * 25 + "\nyy", 0, 10) == (
        "x" * 10 + "\n" + "x" * 10 + "\n" + "x" * 5 + "\nyy",
        2,
    )


def test_a_wat_file_runs_with_its_name_as_argv0(qtbot, tmp_path) -> None:
    from test_gui_window_modules import ECHO as echo_text

    source = tmp_path / "echo.wat"
    source.write_text(echo_text)
    controller = RunController(Background())
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        controller.start(source, RunConfig(args=["from-wat"]))
    assert blocker.args[0].stdout == "from-wat\n"
    broken = tmp_path / "broken.wat"
    broken.write_text("(module (func")
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        controller.start(broken, RunConfig())
    assert "not valid WAT" in blocker.args[0].error


def test_sgr_codes_set_attributes_palette_and_true_colours() -> None:
    style = apply_sgr(Style(), "1;31;104")
    assert (style.bold, style.fg, style.bg) == (True, "#cd3131", "#3b8eea")
    style = apply_sgr(style, "38;2;1;2;300;22;3")
    assert (style.fg, style.bold, style.italic) == ("#0102ff", False, True)
    assert apply_sgr(style, "39;49").fg is None and apply_sgr(style, "0") == Style()
    assert apply_sgr(Style(), "48;5;9;4") == Style(bg="#f14c4c", underline=True)
