"""The hex view shared by the Data and Call views: every line of any number of bytes, made as it is drawn,
and selected lines copied as text."""

from __future__ import annotations

import time

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from wasi_playground.gui.document.hex_view import HexView


def test_a_megabyte_opens_at_once_with_every_line(qtbot) -> None:
    view = HexView()
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show()
    data = bytes(range(256)) * 4096 + b"tail"
    started = time.perf_counter()
    view.show_bytes(data, 16, len(data) - 16, address=0x1000)
    view.repaint()
    assert time.perf_counter() - started < 1.0  # a list view laying out 65,536 lines took seconds
    model = view.model()
    assert model.rowCount() == (len(data) - 16 + 15) // 16
    assert model.index(0, 0).data().startswith("00001000  10 11 12 13")
    last = model.index(model.rowCount() - 1, 0).data()
    assert last.startswith("00100ff0  74 61 69 6c") and last.endswith("tail")


def test_selected_lines_copy_as_text(qtbot) -> None:
    view = HexView()
    qtbot.addWidget(view)
    view.show_bytes(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\x00\x01", address=0x400)
    selection = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(view.model().index(1, 0), flags)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    hexes = "51 52 53 54 55 56 57 58 59 5a 00 01".ljust(47)
    assert QGuiApplication.clipboard().text() == f"00000410  {hexes}  QRSTUVWXYZ.."
    assert view.toPlainText().splitlines()[0].endswith("ABCDEFGHIJKLMNOP")
    view.clear()
    assert view.model().rowCount() == 0
