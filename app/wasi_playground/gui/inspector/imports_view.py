"""Imports and exports of a module as filterable item models, with WASI imports grouped by capability.

The rows come from the typed inspection report (the same rows `inspect --json` prints). Imports this host
cannot satisfy are highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QTableView, QVBoxLayout, QWidget

from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.item_views import OneCallPerCell, make_readable
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.palette import is_dark

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report

CAPABILITY_WORDS = {
    "stdio": "reads its input and writes its output and error streams",
    "args": "reads the command-line arguments you give it",
    "environment": "reads the environment variables you give it",
    "clocks": "reads the time of day and measures elapsed time",
    "random": "asks for random bytes",
    "filesystem": "opens, reads, writes or lists files, but only inside folders you grant",
    "sockets": "uses network connections handed to it",
    "polling": "waits for input, output or timers",
    "process": "ends the program with an exit code",
    "signals": "raises signals (old interface, rarely works)",
    "threads": "starts threads",
}

Index = QModelIndex | QPersistentModelIndex


def capability_of(report: Report) -> dict[str, str]:
    """"module.name" and bare "name" of each WASI import -> its capability group."""
    out: dict[str, str] = {}
    for group, items in report.wasi.capabilities.items():
        for key in items:
            out[key] = group
            out.setdefault(key.rsplit(".", 1)[-1], group)
    return out


def _imports(report: Report) -> list[tuple[str, str, str, str]]:
    """(module, name, kind, type) of each import of a module or a component."""
    if report.module is not None:
        return [(i.module, i.name, i.kind, i.type) for i in report.module.imports]
    if report.component is not None:
        return [("", i.name, i.kind, f"({i.kind})") for i in report.component.imports]
    return []


def _exports(report: Report) -> list[tuple[str, str, str]]:
    if report.module is not None:
        return [(e.name, e.kind, e.type) for e in report.module.exports]
    if report.component is not None:
        return [(e.name, e.kind, f"({e.kind})") for e in report.component.exports]
    return []


_FLAGGED_LIGHT = QBrush(QColor("#ffd7d5"))
_FLAGGED_DARK = QBrush(QColor("#5c2b29"))


class RowsModel(OneCallPerCell, QAbstractTableModel):
    """A read-only table over a list of rows; `highlight(row)` marks rows that need attention."""

    answered_roles = frozenset(int(role) for role in (
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ToolTipRole))

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[str]] = []
        self.flagged: set[int] = set()
        self.tooltips: dict[int, str] = {}

    def set_rows(self, rows: list[list[str]], flagged: set[int] | None = None,
                 tooltips: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.flagged, self.tooltips = rows, flagged or set(), tooltips or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[row][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and row in self.flagged:
            return _FLAGGED_DARK if is_dark() else _FLAGGED_LIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltips.get(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def import_rows(report: Report) -> tuple[list[list[str]], set[int], dict[int, str]]:
    """Rows of (capability, name, signature, kind, module): unprovidable imports first, then grouped."""
    groups = capability_of(report)
    missing = set(report.runnable.missing)
    rows, flagged, tips = [], set(), {}
    for module, name, kind, type_ in _imports(report):
        key = f"{module}.{name}".strip(".")
        group = groups.get(key) or groups.get(name) or ""
        rows.append([group, name, type_, kind, module])
        i = len(rows) - 1
        if key in missing or name in missing:
            flagged.add(i)
            tips[i] = "This host cannot provide this import: the module cannot be instantiated as is."
        elif group:
            tips[i] = f"{group}: the module {CAPABILITY_WORDS.get(group, 'uses this capability')}"
    order = sorted(range(len(rows)), key=lambda i: (i not in flagged, rows[i][0] == "", rows[i][0], i))
    remap = {old: new for new, old in enumerate(order)}
    return ([rows[i] for i in order], {remap[i] for i in flagged}, {remap[i]: t for i, t in tips.items()})


def export_rows(report: Report) -> list[list[str]]:
    return [[name, kind, type_] for name, kind, type_ in _exports(report)]


def capability_summary(report: Report) -> str:
    caps = report.wasi.capabilities
    if not caps:
        return "This module asks for no WASI capability."
    lines = [
        f"<b>{group}</b> ({len(items)}): it {CAPABILITY_WORDS.get(group, 'uses this capability')}"
        for group, items in caps.items()
        if items
    ]
    return "What it asks of the system:<br>" + "<br>".join(lines)


class FilteredTable(QWidget):
    """A filter line over a sortable table view; the view carries the automation objectName."""

    def __init__(self, name: str, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowsModel(headers, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setObjectName(name)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        make_readable(self.view)
        self.summary = QLabel(self)
        # One line per capability, never wrapped: with a word-wrapped label, each of the document's layout
        # passes after the page is shown took 7-11 ms. Too narrow a window cuts lines; the tooltip holds
        # them whole.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)


class ImportsView(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.table = FilteredTable("importsView", ["Capability", "Name", "Signature", "Kind", "Module"], self)
        self.model, self.proxy, self.view = self.table.model, self.table.proxy, self.table.view
        self.filter, self.summary = self.table.filter, self.table.summary
        self.summary.show()
        _fill(self, self.table)

    def show_report(self, report: Report | None) -> None:
        if report is None:
            self.model.set_rows([])
            return
        rows, flagged, tips = import_rows(report)
        self.model.set_rows(rows, flagged, tips)
        summary = capability_summary(report)
        if flagged:
            summary += (
                f"<br><span style='color:#c0392b'><b>{len(flagged)} import(s) this host cannot "
                "provide</b> (highlighted).</span>"
            )
        self.summary.setText(summary)
        self.summary.setToolTip(summary)


class ExportsView(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.table = FilteredTable("exportsView", ["Name", "Kind", "Signature"], self)
        self.model, self.view = self.table.model, self.table.view
        _fill(self, self.table)

    def show_report(self, report: Report | None) -> None:
        self.model.set_rows(export_rows(report) if report is not None else [])


def _fill(panel: QWidget, child: QWidget) -> None:
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(child)
