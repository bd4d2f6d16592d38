"""The Contents tab of a component: what is nested inside, and which core function implements which WIT one.

The tree (nested components, core modules, instances, with sizes and import/export counts) and the canonical
lifts and lowers come from the inspection report (`core.components.contents`, read without compiling). Picking
a core module ("Look inside", or a double-click) makes the document's look-inside panels (Functions, WAT,
Data, Size, Validation) work on that module: the context's `module` becomes a `ModuleRef` to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.components.canonical import CanonicalFunction
from wasi_playground.core.components.contents import ComponentContents, ContentsItem, path_text
from wasi_playground.core.lookinside.module_ref import ModuleRef
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.document.panel import Panel
from wasi_playground.gui.document.units import human_size
from wasi_playground.gui.lookinside.common import RowsModel, table_view

if TYPE_CHECKING:
    from wasi_playground.core.inspect.report import Report

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Item", "Size", "Imports", "Exports")
KIND_ORDER = {"lift": 0, "lower": 1}
AnyIndex = QModelIndex | QPersistentModelIndex


def _row(item: ContentsItem) -> list[QStandardItem]:
    cells = [QStandardItem(item.title), QStandardItem(human_size(item.size)),
             QStandardItem(str(len(item.imports))), QStandardItem(str(len(item.exports)))]
    for cell in cells:
        cell.setEditable(False)
        cell.setData(item, ITEM_ROLE)
    for cell in cells[1:]:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cells


def _group(title: str) -> list[QStandardItem]:
    cells = [QStandardItem(title)] + [QStandardItem("") for _ in HEADERS[1:]]
    for cell in cells:
        cell.setEditable(False)
    return cells


def fill(parent: QStandardItem, items: list[ContentsItem]) -> None:
    """Modules and components in order; the (many) instances of each level under one collapsed group."""
    instances = [i for i in items if i.kind.endswith("instance")]
    for item in items:
        if item.kind.endswith("instance"):
            continue
        row = _row(item)
        parent.appendRow(row)
        if item.kind == "component":
            fill(row[0], item.children)
    if instances:
        group = _group(f"instances ({len(instances)})")
        parent.appendRow(group)
        for item in instances:
            group[0].appendRow(_row(item))


def describe(item: ContentsItem) -> str:
    """The details of one item as text: where it sits, what it imports and exports."""
    lines = [item.title, f"offset {item.offset}, {item.size} bytes"]
    if item.kind in ("core module", "component"):
        lines.append(f"path: {path_text(item.path)}")
    if item.kind.endswith("instance"):
        target = "core module" if item.kind == "core instance" else "component"
        lines.append(f"instantiates {target} {item.instantiates}" if item.instantiates is not None
                     else "made from exports of other definitions")
    lines += [f"note: {n}" for n in item.notes]
    lines.append(f"\nimports ({len(item.imports)}):")
    lines += [f"  {_entry(i)}" for i in item.imports]
    lines.append(f"\nexports ({len(item.exports)}):")
    lines += [f"  {_entry(e)}" for e in item.exports]
    return "\n".join(lines)


def _entry(d: dict[str, Any]) -> str:
    name = f"{d['module']}.{d['name']}" if d.get("module") else d["name"]
    kind = f" ({d['kind']})" if d.get("kind") else ""
    index = f" #{d['index']}" if "index" in d else ""
    return f"{name}{kind}{index}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _why_empty(report: Report | None) -> str:
    if report is None:
        return "The file cannot be read."
    if report.kind == "module":
        return "A core module has nothing nested inside it."
    return "The inside of this component cannot be read: " + "; ".join(report.warnings[-1:])


class ContentsPanel(Panel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("contentsPanel")
        self.contents: ComponentContents | None = None
        self.canonical: list[CanonicalFunction] = []

        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.tree = QTreeView()
        self.tree.setObjectName("contentsTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setObjectName("contentsDetails")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.look_button = QPushButton("Look inside this module")
        self.look_button.setObjectName("lookInsideButton")
        self.look_button.setToolTip("Functions, WAT, Data, Size and Validation then show this core module")
        self.whole_button = QPushButton("Whole component")
        self.whole_button.setObjectName("wholeComponentButton")
        self.looking_at = QLabel(wordWrap=True)
        self.looking_at.setObjectName("lookingAtLabel")
        self.notes = QLabel(wordWrap=True)
        self.notes.setObjectName("contentsNotes")

        self.canonical_filter = QLineEdit(placeholderText="Filter lifts and lowers…")
        self.canonical_filter.setObjectName("canonicalFilter")
        self.canonical_filter.setClearButtonEnabled(True)
        self.canonical_model = RowsModel(("Kind", "WIT function", "Core side"),
                                         lambda f: (f.kind, f.wit, f.core), self)
        self.canonical_view = table_view(self.canonical_model, "canonicalView")
        self.canonical_title = QLabel(wordWrap=True)

        self._lay_out()
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.doubleClicked.connect(lambda _index: self.look_inside())
        self.look_button.clicked.connect(self.look_inside)
        self.whole_button.clicked.connect(lambda: self.context.set_module(None))
        self.canonical_filter.textChanged.connect(self._apply_filter)
        context.moduleChanged.connect(self._on_module)
        self.show_report(context.report)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.look_button)
        buttons.addWidget(self.whole_button)
        buttons.addStretch(1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.tree)
        top.addWidget(self.details)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QWidget()
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.canonical_title)
        bv.addWidget(self.canonical_filter)
        bv.addWidget(self.canonical_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.looking_at)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)

    # the report ------------------------------------------------------------------------------------
    def show_report(self, report: Report | None) -> None:
        self.contents = report.contents if report is not None else None
        self.model.removeRows(0, self.model.rowCount())
        self.details.clear()
        self.look_button.setEnabled(False)
        if self.contents is None:
            self.notes.setText(_why_empty(report))
            self._set_canonical([], "")
        else:
            fill(self.model.invisibleRootItem(), self.contents.items)
            self.tree.expandToDepth(0)
            self.tree.resizeColumnToContents(0)
            self.notes.setText("\n".join(self.contents.notes))
            self._set_canonical(self.contents.canonical, "this component")
        self._on_module(self.context.module)

    def _set_canonical(self, canonical: list[CanonicalFunction], whose: str) -> None:
        """Lifts (what the component exports) first, then lowers (what it imports), then the built-ins."""
        self.canonical = sorted(canonical, key=lambda f: KIND_ORDER.get(f.kind, len(KIND_ORDER)))
        lifts = sum(1 for f in canonical if f.kind == "lift")
        lowers = sum(1 for f in canonical if f.kind == "lower")
        unresolved = sum(1 for f in canonical if not f.resolved)
        text = (f"Canonical functions of {whose}: {_count(lifts, 'lift')} (exports), "
                f"{_count(lowers, 'lower')} (imports), "
                f"{_count(len(canonical) - lifts - lowers, 'resource built-in')}"
                + (f"; {unresolved} not followed to both ends" if unresolved else ""))
        self.canonical_title.setText(text if whose else "")
        self._apply_filter(self.canonical_filter.text())
        self.canonical_view.resizeColumnToContents(0)
        self.canonical_view.setColumnWidth(1, min(self.canonical_view.sizeHintForColumn(1) + 12, 420))

    def _apply_filter(self, text: str) -> None:
        needle = text.casefold()
        shown = [f for f in self.canonical if needle in f"{f.kind} {f.wit} {f.core}".casefold()]
        self.canonical_model.set_items(shown)

    # selection -------------------------------------------------------------------------------------
    def selected_item(self) -> ContentsItem | None:
        index = self.tree.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def select_path(self, path: tuple[tuple[str, int], ...]) -> bool:
        """Make the tree's current row the module or component at `path` (for tests and the keyboard)."""
        matches = self.model.match(self.model.index(0, 0), ITEM_ROLE, None, -1,
                                   Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchWildcard)
        for index in matches:
            item = index.data(ITEM_ROLE)
            if isinstance(item, ContentsItem) and item.path == path and not item.kind.endswith("instance"):
                self.tree.setCurrentIndex(index)
                return True
        return False

    def _on_current(self, current: AnyIndex, _previous: AnyIndex) -> None:
        item = current.data(ITEM_ROLE) if current.isValid() else None
        self.look_button.setEnabled(isinstance(item, ContentsItem) and item.kind == "core module")
        if not isinstance(item, ContentsItem):
            self.details.clear()
            return
        self.details.setPlainText(describe(item))
        if item.kind == "component":
            self._set_canonical(item.canonical, item.title)
        elif self.contents is not None:
            self._set_canonical(self.contents.canonical, "this component")

    def look_inside(self) -> None:
        item = self.selected_item()
        if item is None or item.kind != "core module":
            return
        ref = ModuleRef(self.context.path, item.path)
        self.context.set_module(ref)
        self.message(f"Looking inside {ref.display_name}: Functions, WAT, Data, Size and Validation show "
                     "this core module.")

    def _on_module(self, ref: ModuleRef | None) -> None:
        nested = ref.nested if ref is not None else ()
        self.whole_button.setEnabled(bool(nested))
        self.looking_at.setText(f"Look-inside panels show {path_text(nested)}" if nested
                                else "Look-inside panels show the whole component")
