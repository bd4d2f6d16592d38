"""The Size tab: where the bytes go, as proportional bars a person reads at a glance, and the same numbers
in tables (sections, largest functions)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QVBoxLayout, QWidget

from wasi_playground.core.lookinside.functions import read_module_bytes
from wasi_playground.core.lookinside.sizes import CATEGORIES, SizeReport, size_report
from wasi_playground.gui.document.context import DocumentContext
from wasi_playground.gui.lookinside.common import LazyPanel, RowsModel, table_view

CATEGORY_COLOURS = {
    "code": "#4e79a7", "data": "#f28e2b", "debug info": "#e15759", "names": "#76b7b2",
    "other custom": "#59a14f", "declarations": "#edc948", "header": "#bab0ac",
}


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


class SizeBars(QWidget):
    """One horizontal bar per category, its length the category's share of the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sizeBars")
        self.report: SizeReport | None = None

    def set_report(self, report: SizeReport | None) -> None:
        self.report = report
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, int, float]]:
        if self.report is None:
            return []
        return [(c, self.report.categories[c], self.report.share(c)) for c in CATEGORIES
                if self.report.categories.get(c)]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        line = self.fontMetrics().height() + 8
        return QSize(400, max(1, len(self.rows())) * line + 8)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        fm = self.fontMetrics()
        line = fm.height() + 8
        label_w = max((fm.horizontalAdvance(c) for c in CATEGORIES), default=80) + 12
        value_w = fm.horizontalAdvance("999.9 MiB  100.0%") + 12
        bar_w = max(10, self.width() - label_w - value_w - 8)
        for i, (name, size, share) in enumerate(self.rows()):
            y = 4 + i * line
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(4, y, label_w, line), Qt.AlignmentFlag.AlignVCenter, name)
            painter.fillRect(QRectF(label_w, y + 3, max(2.0, bar_w * share), line - 6),
                             QColor(CATEGORY_COLOURS.get(name, "#888888")))
            painter.drawText(QRectF(label_w + bar_w + 6, y, value_w, line), Qt.AlignmentFlag.AlignVCenter,
                             f"{human_size(size)}  {share * 100:.1f}%")
        painter.end()


class SizePanel(LazyPanel):
    def __init__(self, context: DocumentContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.report: SizeReport | None = None
        self.summary = QLabel()
        self.bars = SizeBars()
        self.sections_model = RowsModel(
            ("Section", "Kind", "Offset", "Size", "Share"), self._section_cells, self
        )
        self.functions_model = RowsModel(("Function", "Name", "Body size"), lambda r: r, self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(table_view(self.sections_model, "sizeSectionsView"))
        functions_view = table_view(self.functions_model, "sizeFunctionsView")
        functions_view.horizontalHeader().setStretchLastSection(False)
        functions_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        split.addWidget(functions_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bars)
        layout.addWidget(split, 1)

    def _section_cells(self, s: Any) -> tuple[Any, ...]:
        total = self.report.total if self.report else 1
        return (s.name, s.category, s.offset, s.size, f"{s.size / total * 100:.1f}%")

    def start_load(self) -> None:
        path = self.source
        self.summary.setText("Measuring…")
        self.in_background(lambda: size_report(read_module_bytes(path)),
            self._on_size,
            self._on_error,
            key=f"size-{id(self)}",
        )

    def _on_size(self, report: SizeReport) -> None:
        self.report = report
        self.bars.set_report(report)
        self.sections_model.set_items(report.sections)
        self.functions_model.set_items(report.largest_functions)
        big = max(report.categories, key=lambda c: report.categories[c])
        self.summary.setText(
            f"{human_size(report.total)} in all; the largest part is {big} ({report.share(big) * 100:.0f}%)"
        )

    def _on_error(self, exc: BaseException) -> None:
        self.summary.setText(f"Cannot measure: {exc}")
