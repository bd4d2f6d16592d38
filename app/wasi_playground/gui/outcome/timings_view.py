"""Where the time of a run went, and what it cost: phases, cache hit, fuel, peak memory."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from wasi_playground.core.engine.result import RunResult
from wasi_playground.gui.document.units import human_size

PHASES = (("read", "Read"), ("compile", "Compile"), ("instantiate", "Instantiate"), ("run", "Run"),
          ("total", "Total"))


def timing_rows(result: RunResult) -> list[tuple[str, str]]:
    rows = []
    for key, label in PHASES:
        ms = result.timings_ms.get(key)
        rows.append((label, "—" if ms is None else f"{ms:,.1f} ms"))
    cache = {True: "hit (compiled code reused)", False: "miss (compiled now)", None: "unknown"}[
        result.cache_hit
    ]
    rows.append(("Compiled-code cache", cache))
    fuel = "not metered" if result.fuel_consumed is None else f"{result.fuel_consumed:,}"
    if result.fuel_consumed is not None and result.trap is not None:
        fuel += " (may under-report after a trap)"
    rows.append(("Fuel used", fuel))
    rows.append(("Peak memory", "—" if result.memory_bytes is None else human_size(result.memory_bytes)))
    rows.append(("Output", f"{result.stdout_bytes:,} bytes stdout, {result.stderr_bytes:,} bytes stderr"))
    return rows


class TimingsView(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("timingsView")
        self.setHorizontalHeaderLabels(["", "Last run"])
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

    def set_result(self, result: RunResult) -> None:
        rows = timing_rows(result)
        self.setRowCount(len(rows))
        for i, (label, value) in enumerate(rows):
            self.setItem(i, 0, QTableWidgetItem(label))
            self.setItem(i, 1, QTableWidgetItem(value))

    def values(self) -> dict[str, str]:
        return {self.item(r, 0).text(): self.item(r, 1).text() for r in range(self.rowCount())}
