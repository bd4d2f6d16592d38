"""The real window, driven like a person would: open, configure, run, stop, read, reopen, compare."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPlainTextEdit, QTableView, QTableWidget

from wasi_playground.core.engine.config import Preopen
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

sys.path.insert(0, str(Path(__file__).parent))
from test_gui_window_modules import ECHO, LOOP, TRAP  # noqa: E402

pytest.importorskip("wasi_playground.core.inspect.report", reason="needs the inspector (issue 2)")
# The offscreen platform says this once per shown top-level window; it is not a problem of ours.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    return tmp_path / "settings"


@pytest.fixture
def window(qtbot, settings_dir: Path) -> MainWindow:
    w = MainWindow(SettingsStore(settings_dir))
    qtbot.addWidget(w)
    w.show()
    yield w
    for doc in w.documents():
        doc.close_document()


def open_and_wait(qtbot, window: MainWindow, path: Path) -> ModuleDocument:
    doc = window.open_path(path)
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=10000)
    return doc


def run_and_wait(qtbot, window: MainWindow, doc: ModuleDocument):
    with qtbot.waitSignal(doc.controller.finished, timeout=20000) as blocker:
        window.findChild(type(window.run_action), "runAction").trigger()
    return blocker.args[0]


def model_rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_open_by_path_shows_imports_exports_and_overview(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    assert doc.inspect_error is None and window.tabs.count() == 1
    imports = model_rows(window.findChild(QTableView, "importsView"))
    names = {row[1] for row in imports}
    assert {"fd_write", "args_get", "environ_get"} <= names
    assert all(row[4] == "wasi_snapshot_preview1" for row in imports)
    groups = [row[0] for row in imports]
    assert groups == sorted(groups) and {"args", "environment", "stdio"} <= set(groups)
    exports = {row[0]: row for row in model_rows(window.findChild(QTableView, "exportsView"))}
    assert {"_start", "add", "memory"} <= set(exports)
    assert "i32" in exports["add"][2]
    assert "Runnable here" in doc.overview.browser.toPlainText()
    doc.imports.filter.setText("environ")
    assert {doc.imports.proxy.index(r, 1).data() for r in range(doc.imports.proxy.rowCount())} == {
        "environ_get", "environ_sizes_get"}
    assert "echo.wasm" in window.windowTitle()


def test_open_by_simulated_drop(qtbot, window, wat) -> None:
    path = wat(LOOP, "dropped.wasm")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert [d.path for d in window.documents()] == [path.resolve()]
    assert window.tabs.tabText(0) == "dropped.wasm"


def test_edit_args_env_dirs_then_run_shows_output(qtbot, window, wat, tmp_path) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    args = window.findChild(QLineEdit, "argsEdit")
    args.setText('one "two words"')
    assert "'two words'" in doc.editor.argv_label.text()
    doc.editor.env.add_variable("GREETING", "hi")
    env_view = window.findChild(QTableWidget, "envView")
    env_view.item(0, 1).setText("hello")
    folder = tmp_path / "shared"
    folder.mkdir()
    doc.editor.dirs.add_preopen(Preopen(str(folder), "/data", read_only=True))
    dirs_view = window.findChild(QTableWidget, "dirsView")
    assert dirs_view.item(0, 1).text() == "/data"
    config = doc.context.config
    assert config.args == ["one", "two words"] and config.env == [("GREETING", "hello")]
    assert config.preopens == [Preopen(str(folder), "/data", True)]
    assert "wasmtime run --dir" in doc.copy_wasmtime_command()
    result = run_and_wait(qtbot, window, doc)
    assert result.exit_code == 0
    stdout = window.findChild(QPlainTextEdit, "stdoutView")
    stderr = window.findChild(QPlainTextEdit, "stderrView")
    assert stdout.toPlainText() == "one\ntwo words\n"
    assert stderr.toPlainText() == "GREETING=hello\n"
    assert "Exited with code 0" in doc.banner.text()
    timings = window.findChild(QTableWidget, "timingsView").values()
    assert timings["Total"].endswith(" ms") and timings["Compile"] != "—"
    assert timings["Run"].endswith(" ms")
    assert result.cache_hit is not None  # the run went through the compiled-code cache, which says so
    assert timings["Compiled-code cache"].startswith("hit" if result.cache_hit else "miss")


def test_stop_an_infinite_loop(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(LOOP, "loop.wasm"))
    stop = window.stop_action
    assert stop.objectName() == "stopAction" and not stop.isEnabled()
    window.run_action.trigger()
    assert stop.isEnabled() and not window.run_action.isEnabled()
    qtbot.waitUntil(lambda: doc.controller.phase == "run", timeout=10000)
    with qtbot.waitSignal(doc.controller.finished, timeout=5000) as blocker:
        stop.trigger()
    assert blocker.args[0].cancelled
    assert "Stopped" in doc.banner.text()
    assert window.run_action.isEnabled() and not stop.isEnabled()


def test_trap_is_shown_with_backtrace_and_app_goes_on(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(TRAP, "trap.wasm"))
    result = run_and_wait(qtbot, window, doc)
    assert result.trap is not None
    assert "Trap" in doc.banner.text() and "#0" in doc.banner.text()
    assert doc.banner.style_name == "bad"
    doc2 = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    assert run_and_wait(qtbot, window, doc2).exit_code == 0


def test_missing_preopen_is_a_clear_message(qtbot, window, wat, tmp_path) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    doc.editor.dirs.add_preopen(Preopen(str(tmp_path / "nope"), "/nope"))
    result = run_and_wait(qtbot, window, doc)
    assert result.error and "nope" in result.error
    assert "Could not run" in doc.banner.text()
    assert window.messages.isVisible() and "could not run" in window.messages.current_text()


def test_malformed_and_missing_files_are_messages(qtbot, window, tmp_path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\x01\0\0\0\x01\xff\xff")
    doc = open_and_wait(qtbot, window, bad)
    assert doc.inspect_error
    assert "bad.wasm" in window.messages.current_text()
    assert window.open_path(tmp_path / "absent.wasm") is None
    assert "no such file" in window.messages.current_text()


def test_reopen_restores_configuration(qtbot, settings_dir, wat) -> None:
    path = wat(ECHO, "echo.wasm")
    first = MainWindow(SettingsStore(settings_dir))
    qtbot.addWidget(first)
    doc = open_and_wait(qtbot, first, path)
    doc.editor.args_edit.setText("--flag 'a b'")
    doc.editor.env.add_variable("KEY", "value")
    first.close()
    second = MainWindow(SettingsStore(settings_dir), restore_modules=True)
    qtbot.addWidget(second)
    assert [d.path for d in second.documents()] == [path.resolve()]
    doc2 = second.documents()[0]
    qtbot.waitUntil(lambda: doc2.sha256 is not None, timeout=10000)
    assert second.findChild(QLineEdit, "argsEdit").text() == "--flag 'a b'"
    assert doc2.context.config.env == [("KEY", "value")]
    assert str(path.resolve()) in second.store.window.recent_files
    second.close()


def test_compare_two_runs(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    doc.editor.args_edit.setText("first")
    run_and_wait(qtbot, window, doc)
    doc.editor.args_edit.setText("second")
    run_and_wait(qtbot, window, doc)
    view = doc.history_view
    assert view.model.rowCount() == 2
    view.select_rows([0, 1])
    assert view.compare_button.isEnabled()
    with qtbot.waitSignal(view.compareRequested) as blocker:
        view.compare_button.click()
    older, newer = blocker.args
    assert older.run_config.args == ["first"] and newer.run_config.args == ["second"]
    dialog = doc.last_compare
    assert dialog.comparison.config_changes[0].setting == "args"
    assert "-first" in dialog.comparison.stdout_diff and "+second" in dialog.comparison.stdout_diff
    assert "1 configuration difference" in dialog.summary.text()
    dialog.close()


def test_two_modules_keep_their_own_configuration(qtbot, window, wat) -> None:
    a = open_and_wait(qtbot, window, wat(ECHO, "a.wasm"))
    b = open_and_wait(qtbot, window, wat(LOOP, "b.wasm"))
    a.editor.args_edit.setText("only-a")
    assert b.context.config.args == [] and a.context.config.args == ["only-a"]
    assert window.tabs.count() == 2
    assert window.open_path(a.path) is a and window.tabs.count() == 2


def test_rebuilt_file_is_reloaded(qtbot, window, wat, tmp_path) -> None:
    path = wat(ECHO, "echo.wasm")
    doc = open_and_wait(qtbot, window, path)
    first_sha = doc.sha256
    doc.editor.args_edit.setText("kept")
    path.write_bytes(Path(wat(TRAP, "other.wasm")).read_bytes())
    qtbot.waitUntil(lambda: doc.sha256 != first_sha, timeout=10000)
    assert "changed on disk" in " ".join(t for _, t in window.messages.history)
    assert doc.context.config.args == ["kept"]
    names = {row[0] for row in model_rows(doc.exports.view)}
    assert "add" not in names


def test_output_panes_are_selectable_for_automation(window) -> None:
    for name in ("stdoutView", "stderrView"):
        assert window.findChild(QPlainTextEdit, name) is None  # no module open yet
    assert isinstance(window.run_action.shortcuts()[0].toString(), str)
    assert {s.toString() for s in window.run_action.shortcuts()} == {"F5", "Ctrl+R"}
    assert window.stop_action.shortcut().toString() == "Shift+F5"
    assert QAbstractItemView is not None


def test_entry_point_with_typed_arguments(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    entry = doc.editor.entry
    entry.combo.setCurrentIndex(entry.combo.findData("add"))
    assert [f.placeholderText() for f in entry.fields] == ["i32", "i32"]
    entry.fields[0].setText("2")
    entry.fields[1].setText("40")
    assert doc.context.config.invoke == "add" and doc.context.config.invoke_args == ["2", "40"]
    result = run_and_wait(qtbot, window, doc)
    assert result.results == [42]
    assert "returned [42]" in doc.banner.text()


def test_presets_save_and_restore(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    doc.editor.args_edit.setText("preset-args")
    doc.presets.save_as("mine")
    doc.editor.args_edit.setText("changed")
    assert doc.presets.names() == ["mine"]
    doc.presets.choose("mine")
    assert doc.editor.args_edit.text() == "preset-args" and doc.context.config.args == ["preset-args"]


def test_status_bar_shows_phase_and_closing_mid_run_stops_it(qtbot, settings_dir, wat) -> None:
    w = MainWindow(SettingsStore(settings_dir))
    qtbot.addWidget(w)
    doc = open_and_wait(qtbot, w, wat(LOOP, "loop.wasm"))
    doc.run()
    qtbot.waitUntil(lambda: "run —" in w.status_label.text(), timeout=10000)
    assert w.status_label.text().startswith("loop.wasm: run — ")
    execution = doc.controller.execution
    w.close()
    assert execution.ended.is_set() and not doc.controller.running
    assert execution.result.cancelled


def test_signature_forms_give_typed_fields() -> None:
    from wasi_playground.gui.configure.entry_point import parse_params

    assert parse_params("(func (param i32 i64) (result i32))") == [("arg0", "i32"), ("arg1", "i64")]
    assert parse_params("(func (param $a i32) (param $b f64))") == [("a", "i32"), ("b", "f64")]
    assert parse_params("(func (result i32))") == []
    assert parse_params("(a: s32, b: list<u8>) -> string") == [("a", "s32"), ("b", "list<u8>")]


UNKNOWN_IMPORT = """
(module
  (import "env" "mystery" (func $m (param i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $m (i32.const 1))))
"""


def test_unknown_import_is_highlighted_and_cannot_run_is_said(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(UNKNOWN_IMPORT, "unknown.wasm"))
    model = doc.imports.model
    assert model.rows[0][1] == "mystery" and model.flagged == {0}
    assert model.data(model.index(0, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, 1), Qt.ItemDataRole.BackgroundRole) is None
    assert "cannot provide" in doc.imports.summary.text()
    assert "Cannot run here" in doc.overview.browser.toPlainText()
    assert "cannot run here" in window.messages.current_text()
    result = run_and_wait(qtbot, window, doc)
    assert result.error and "Could not run" in doc.banner.text()


def test_copy_from_host_stdin_and_limits_reach_the_config(qtbot, window, wat, monkeypatch) -> None:
    monkeypatch.setenv("PLAYGROUND_TEST_VAR", "from-host")
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    editor = doc.editor
    editor.env.copy_from_host("PLAYGROUND_TEST_VAR")
    editor.stdin_buttons["text"].setChecked(True)
    editor.stdin_text.setPlainText("typed input")
    editor.memory_spin.setValue(64)
    editor.fuel_edit.setText("1_000_000")
    editor.timeout_spin.setValue(2.5)
    config = doc.context.config
    assert config.env == [("PLAYGROUND_TEST_VAR", "from-host")]
    assert (config.stdin.kind, config.stdin.text) == ("text", "typed input")
    limits = config.limits
    assert (limits.max_memory_bytes, limits.fuel, limits.timeout_s) == (64 << 20, 10**6, 2.5)
    command = doc.copy_wasmtime_command()
    assert "fuel=1000000" in command and "PLAYGROUND_TEST_VAR=from-host" in command
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == command
    assert run_and_wait(qtbot, window, doc).stderr == "PLAYGROUND_TEST_VAR=from-host\n"


def test_rerun_when_the_file_changes(qtbot, window, wat) -> None:
    path = wat(ECHO, "echo.wasm")
    doc = open_and_wait(qtbot, window, path)
    window.rerun_action.setChecked(True)
    assert window.store.preferences.rerun_on_change
    doc.editor.args_edit.setText("again")
    with qtbot.waitSignal(doc.controller.finished, timeout=20000) as blocker:
        path.write_bytes(
            path.read_bytes() + b"\x00\x06\x05extra"
        )  # a custom section: new content, same program
    assert blocker.args[0].stdout == "again\n"


def test_spill_files_live_while_shown_and_go_with_the_next_run(qtbot, window, wat) -> None:
    from test_gui_window_modules import flood

    doc = open_and_wait(qtbot, window, wat(flood(6), "flood.wasm"))
    first = run_and_wait(qtbot, window, doc)
    assert first.stdout_file and Path(first.stdout_file).exists()
    assert doc.stdout.save_button.isEnabled()
    second = run_and_wait(qtbot, window, doc)
    assert not Path(first.stdout_file).exists() and Path(second.stdout_file).exists()
    window.close_tab(window.tabs.indexOf(doc))
    assert not Path(second.stdout_file).exists()


def test_settings_write_failure_is_a_message(qtbot, window) -> None:
    window.store._prefs_file.path = Path("/proc/no-such-place/preferences.json")
    window.rerun_action.setChecked(True)
    assert window.background.wait_in_order()
    qtbot.waitUntil(lambda: "could not save preferences.json" in window.messages.current_text(), timeout=5000)


def test_a_rebuild_that_replaces_the_file_is_noticed_twice(qtbot, window, wat, tmp_path) -> None:
    """Build tools write a new file and rename it over the old one: the watcher must keep watching."""
    import os

    path = wat(ECHO, "echo.wasm")
    doc = open_and_wait(qtbot, window, path)
    for round_ in range(2):
        before = doc.sha256
        fresh = tmp_path / f"fresh{round_}.wasm"
        fresh.write_bytes(path.read_bytes() + bytes([0, 6, 5]) + f"rnd{round_}x".encode())
        os.replace(fresh, path)
        qtbot.waitUntil(lambda before=before: doc.sha256 not in (None, before), timeout=10000)


def test_argv_preview_names_the_module_file(qtbot, window, wat) -> None:
    doc = open_and_wait(qtbot, window, wat(ECHO, "echo.wasm"))
    window.findChild(QLineEdit, "argsEdit").setText('one "two words"')
    assert doc.editor.argv_label.text() == "argv: [0] 'echo.wasm'  [1] 'one'  [2] 'two words'"


def test_a_sample_opened_by_path_gets_its_lesson_configuration(qtbot, window) -> None:
    from wasi_playground.core.samples import get_sample

    cat = get_sample("cat")
    doc = open_and_wait(qtbot, window, cat.wasm_path)
    assert [p.guest for p in doc.context.config.preopens] == ["/data"]
    assert doc.context.config.args == ["/data/poem.txt"]


def test_the_window_records_wasi_calls_of_a_new_module_without_being_asked(qtbot, window) -> None:
    from PySide6.QtWidgets import QWidget

    from wasi_playground.core.samples import get_sample

    doc = open_and_wait(qtbot, window, get_sample("cat").wasm_path)
    assert doc.context.config.trace
    result = run_and_wait(qtbot, window, doc)
    assert result.exit_code == 0 and result.trace_calls
    trace = window.findChild(QWidget, "traceView")
    qtbot.waitUntil(lambda: trace.model.rowCount() == result.trace_calls, timeout=5000)
    functions = {trace.model.index(r, 1).data() for r in range(trace.model.rowCount())}
    assert {"path_open", "fd_read", "fd_write"} <= functions
