"""A run never takes the window down: traps and crashes leave it working, closing it mid-run stops the run
cleanly, and quitting with runs in flight keeps the user's configuration and leaves no threads or temp
files."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from wasi_playground.core.engine.config import Limits, RunConfig
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.shell.document import ModuleDocument

pytest.importorskip("wasi_playground.core.inspect.report", reason="needs the inspector (issue 2)")
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

HELLO = r"""(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "still here\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 11))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"""
LOOP = '(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))'
TRAP = '(module (memory (export "memory") 1) (func (export "_start") unreachable))'
RECURSE = '(module (memory (export "memory") 1) (func $f (export "_start") call $f))'
UNLINKABLE = '(module (import "nowhere" "nothing" (func)) (func (export "_start")))'
DIV_ZERO = """(module (memory (export "memory") 1)
  (func (export "_start") (drop (i32.div_s (i32.const 1) (i32.const 0)))))"""
ENDLESS_OUTPUT = r"""(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start")
    (memory.fill (i32.const 1024) (i32.const 66) (i32.const 65536))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 65536))
    (loop $l (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))) (br $l))))"""


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the app's temporary files go during the test, so we can see what it leaves behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    return tmp_path / "settings"


def new_window(qtbot, settings_dir: Path, restore: bool = False) -> MainWindow:
    window = MainWindow(SettingsStore(settings_dir), restore_modules=restore)
    qtbot.addWidget(window)
    window.show()
    return window


def open_and_wait(qtbot, window: MainWindow, path: Path) -> ModuleDocument:
    doc = window.open_path(path)
    assert doc is not None
    qtbot.waitUntil(lambda: doc.sha256 is not None or doc.inspect_error is not None, timeout=10000)
    return doc


def run_and_wait(qtbot, doc: ModuleDocument):
    with qtbot.waitSignal(doc.controller.finished, timeout=20000) as blocker:
        assert doc.run()
    return blocker.args[0]


def start_and_reach_run_phase(qtbot, doc: ModuleDocument) -> None:
    assert doc.run()
    qtbot.waitUntil(lambda: doc.controller.phase == "run", timeout=10000)


def run_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wasm-run" and t.is_alive()]


def ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "wasi-playground" in p.name)


def quit_like_the_app(window: MainWindow) -> None:
    """What `gui/app.py` does on Quit: the window closes, then the application announces it is quitting
    (panels that keep sessions close them then). The event loop itself is pytest-qt's and keeps running."""
    window.close()
    QApplication.instance().aboutToQuit.emit()


def test_runs_that_trap_or_fail_leave_the_window_working(qtbot, settings_dir, wat, temp_dir) -> None:
    window = new_window(qtbot, settings_dir)
    for text, name in (
        (TRAP, "trap"),
        (RECURSE, "recurse"),
        (DIV_ZERO, "divzero"),
        (UNLINKABLE, "unlinkable"),
    ):
        doc = open_and_wait(qtbot, window, wat(text, f"{name}.wasm"))
        first = run_and_wait(qtbot, doc)
        assert first.trap is not None or first.error, name
        again = run_and_wait(qtbot, doc)
        assert (again.trap is None) == (first.trap is None) and (again.error is None) == (first.error is None)
        assert window.run_action.isEnabled() and not window.stop_action.isEnabled()
        assert [r.outcome() for r in doc.history.records][-2:] == [doc.history.records[-1].outcome()] * 2
    hello = open_and_wait(qtbot, window, wat(HELLO, "hello.wasm"))
    result = run_and_wait(qtbot, hello)
    assert (
        result.exit_code == 0
        and hello.findChild(QPlainTextEdit, "stdoutView").toPlainText() == "still here\n"
    )
    assert window.tabs.count() == 5 and window.isVisible()
    window.close()


def test_a_run_stopped_by_its_own_limits_leaves_the_window_working(
    qtbot, settings_dir, wat, temp_dir
) -> None:
    window = new_window(qtbot, settings_dir)
    doc = open_and_wait(qtbot, window, wat(LOOP, "loop.wasm"))
    doc._apply_config(RunConfig(limits=Limits(timeout_s=0.3)))
    assert run_and_wait(qtbot, doc).timed_out
    doc._apply_config(RunConfig(limits=Limits(fuel=100_000)))
    out_of_fuel = run_and_wait(qtbot, doc)
    assert out_of_fuel.trap is not None and not out_of_fuel.timed_out
    hello = open_and_wait(qtbot, window, wat(HELLO, "hello.wasm"))
    assert run_and_wait(qtbot, hello).exit_code == 0
    window.close()


def test_closing_during_an_infinite_loop_stops_it_within_a_second(qtbot, settings_dir, wat, temp_dir) -> None:
    window = new_window(qtbot, settings_dir)
    loops = [open_and_wait(qtbot, window, wat(LOOP, f"loop{i}.wasm")) for i in range(2)]
    for doc in loops:
        start_and_reach_run_phase(qtbot, doc)
    executions = [doc.controller.execution for doc in loops]
    assert len(run_threads()) >= 2
    started = time.perf_counter()
    quit_like_the_app(window)
    took = time.perf_counter() - started
    assert took < 1.0, f"closing took {took:.2f} s"
    assert all(e.ended.is_set() and e.result.cancelled for e in executions)
    assert not any(doc.controller.running for doc in loops)
    qtbot.waitUntil(lambda: not run_threads(), timeout=1000)
    assert window.background.wait_idle(2000) and window.background.pool.activeThreadCount() == 0
    assert ours(temp_dir) == []


def test_closing_during_an_output_flood_leaves_no_temp_files(qtbot, settings_dir, wat, temp_dir) -> None:
    """A flood spills the full output to a temporary file; closing the window must not orphan it."""
    window = new_window(qtbot, settings_dir)
    doc = open_and_wait(qtbot, window, wat(ENDLESS_OUTPUT, "flood.wasm"))
    start_and_reach_run_phase(qtbot, doc)
    qtbot.waitUntil(lambda: any(p.suffix == ".out" for p in temp_dir.iterdir()), timeout=10000)
    quit_like_the_app(window)
    qtbot.waitUntil(lambda: not run_threads(), timeout=1000)
    assert window.background.wait_idle(2000)
    assert ours(temp_dir) == []


def test_closing_after_a_run_that_spilled_leaves_no_temp_files(qtbot, settings_dir, wat, temp_dir) -> None:
    window = new_window(qtbot, settings_dir)
    doc = open_and_wait(qtbot, window, wat(ENDLESS_OUTPUT, "flood.wasm"))
    doc._apply_config(RunConfig(limits=Limits(timeout_s=0.5)))
    result = run_and_wait(qtbot, doc)
    assert result.timed_out and result.stdout_file and Path(result.stdout_file).parent == temp_dir
    quit_like_the_app(window)
    assert ours(temp_dir) == []


def test_closing_a_module_tab_leaves_no_temp_files(qtbot, settings_dir, wat, temp_dir) -> None:
    window = new_window(qtbot, settings_dir)
    doc = open_and_wait(qtbot, window, wat(HELLO, "hello.wasm"))
    assert run_and_wait(qtbot, doc).exit_code == 0
    assert window.background.wait_idle(5000)
    qtbot.wait(50)
    window.close_tab(window.tabs.indexOf(doc))
    qtbot.waitUntil(lambda: window.tabs.count() == 0)
    qtbot.wait(50)
    assert ours(temp_dir) == []


def test_quitting_with_runs_in_flight_keeps_the_edited_configuration(
    qtbot, settings_dir, wat, temp_dir
) -> None:
    path = wat(LOOP, "loop.wasm")
    window = new_window(qtbot, settings_dir)
    doc = open_and_wait(qtbot, window, path)
    start_and_reach_run_phase(qtbot, doc)
    args = window.findChild(QLineEdit, "argsEdit")
    args.setText("--edited 'while running'")
    doc.editor.env.add_variable("EDITED", "yes")
    assert doc._save_timer.isActive()  # not saved yet: the debounce is still pending when we quit
    window.quit_action.trigger()
    QApplication.instance().aboutToQuit.emit()
    assert not doc.controller.running and not run_threads()

    reopened = new_window(qtbot, settings_dir, restore=True)
    assert [d.path for d in reopened.documents()] == [path.resolve()]
    doc2 = reopened.documents()[0]
    qtbot.waitUntil(lambda: doc2.sha256 is not None, timeout=10000)
    assert doc2.context.config.args == ["--edited", "while running"]
    assert doc2.context.config.env == [("EDITED", "yes")]
    assert reopened.findChild(QLineEdit, "argsEdit").text() == "--edited 'while running'"
    quit_like_the_app(reopened)
    assert reopened.background.wait_idle(5000)
    qtbot.wait(100)
    assert [name for name in ours(temp_dir) if "-call-" not in name] == []


def test_quitting_right_after_an_edit_leaves_no_call_scratch_directories(
    qtbot, settings_dir, wat, temp_dir
) -> None:
    window = new_window(qtbot, settings_dir)
    open_and_wait(qtbot, window, wat(HELLO, "hello.wasm"))
    assert window.background.wait_idle(5000)
    qtbot.wait(50)
    window.findChild(QLineEdit, "argsEdit").setText("edited just before quitting")
    quit_like_the_app(window)
    assert window.background.wait_idle(5000)
    qtbot.wait(100)
    assert ours(temp_dir) == []


def test_broken_files_opened_in_the_window_are_messages_and_it_keeps_working(
    qtbot, settings_dir, wat, tmp_path
) -> None:
    """Mutated real modules and broken WAT, opened one after another: each is a report or a message that says
    where it broke (WAT: line and column), running one is refused with a reason that names the file, and a
    good module still runs."""
    import random

    rng = random.Random(11)
    seed = (Path(__file__).resolve().parent.parent / "samples" / "hello" / "hello.wasm").read_bytes()
    paths = []
    for i in range(10):
        data = bytearray(seed)
        for _ in range(3):
            data[rng.randrange(8, len(data))] = rng.randrange(256)
        paths.append(tmp_path / f"mutant{i}.wasm")
        paths[-1].write_bytes(bytes(data))
    broken_wat = tmp_path / "broken.wat"
    broken_wat.write_text("(module\n  (func $f\n    (call $nowhere)))\n")
    paths.append(broken_wat)
    window = new_window(qtbot, settings_dir)
    rejected = 0
    for path in paths:
        doc = open_and_wait(qtbot, window, path)
        rejected += doc.inspect_error is not None
        if doc.inspect_error:
            assert path.name in window.messages.current_text()
            assert "offset" in doc.inspect_error or "line" in doc.inspect_error
        result = run_and_wait(qtbot, doc)
        # Every file here is broken (the mutations are seeded): none may start, each says why, naming itself.
        assert result.exit_code is None and result.trap is None, (path.name, result.exit_code, result.trap)
        reason = (result.error or "").splitlines()[0] if result.error else ""
        assert reason.startswith(path.name) and ("compile" in reason or "not valid WAT" in reason), reason
        assert window.run_action.isEnabled()
    assert "line 3, column 11" in window.documents()[-1].inspect_error
    assert 2 <= rejected < len(paths)  # both kinds were exercised
    hello = open_and_wait(qtbot, window, wat(HELLO, "hello.wasm"))
    assert run_and_wait(qtbot, hello).exit_code == 0
    assert window.tabs.count() == len(paths) + 1
    quit_like_the_app(window)
    assert not run_threads()


SAMPLE_HELLO = Path(__file__).resolve().parent.parent / "samples" / "hello" / "hello.wasm"
LEAK_PROBE = r"""
import gc, os, sys, time, weakref
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from wasi_playground.core.state.settings import SettingsStore
from wasi_playground.gui import MainWindow
from wasi_playground.gui.document import panels
from wasi_playground.gui.app import guard_refcount_underflow

guard_refcount_underflow()
panels.PANELS[:] = [p for p in panels.PANELS if p[0] not in sys.argv[3:]]
app = QApplication([])
window = MainWindow(SettingsStore(Path(sys.argv[2])))
window.show()

def pump(condition):
    deadline = time.time() + 30
    while time.time() < deadline and not condition():
        app.processEvents()
        time.sleep(0.005)

contexts = []
for _ in range(8):
    doc = window.open_path(sys.argv[1])
    pump(lambda: doc.sha256 is not None or doc.inspect_error is not None)
    for _ in range(3):
        pump(lambda: window.background.pool.activeThreadCount() == 0)
        for _ in range(5):
            app.processEvents()
    contexts.append(weakref.ref(doc.context))
    window.close_tab(window.tabs.indexOf(doc))
    del doc
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
gc.collect()
print("alive", sum(ref() is not None for ref in contexts), flush=True)
"""


def closed_contexts_alive(tmp_path: Path, module: Path, *left_out: str) -> int:
    """In a fresh process (like a real session): open and close `module` 8 times in one window, then count
    the closed documents whose DocumentContext Python still holds."""
    import os
    import subprocess
    import sys

    script = tmp_path / "leak_probe.py"
    script.write_text(LEAK_PROBE)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, str(script), str(module), str(tmp_path / "probe-settings"), *left_out],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return int(out.stdout.split("alive")[-1])


def test_closed_modules_are_freed(tmp_path) -> None:
    """Every panel lets go of a closed document: no DocumentContext (with its Report and ModuleInfo) survives.
    Before the task bridge released callbacks on the GUI thread, about one closed module in three stayed."""
    assert closed_contexts_alive(tmp_path, SAMPLE_HELLO) == 0
