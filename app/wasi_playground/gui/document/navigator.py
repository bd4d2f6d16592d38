"""The document's navigation: a side list of views grouped by question, the chosen view in the middle, and
a configuration column that folds away and comes back.

Only the views that apply are listed under their questions (see `core.inspect.views`); the others sit in a
folded "Not for this module" group, and choosing one shows the one line on why. Pages are built on first
use or by `build_next_pending()` (one per event-loop turn), so opening a module never pays for all of them
at once. The layout (column widths, folded or not) is read and restored as a plain dict, kept per window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionToolButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.inspect.views import ViewVerdict, grouped

KEY_ROLE = Qt.ItemDataRole.UserRole
WHY_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_HERE_TITLE = "Not for this module"
DEFAULT_SIZES = [170, 900, 360]


class ViewList(QTreeWidget):
    """Questions as headings, views as rows; the views that do not apply in a last, folded group."""

    viewChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewList")
        self.setAccessibleName("Views")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.currentItemChanged.connect(self._current_changed)
        self._items: dict[str, QTreeWidgetItem] = {}

    def set_verdicts(self, verdicts: list[ViewVerdict]) -> None:
        current = self.current_key()
        self.blockSignals(True)
        self.clear()
        self._items.clear()
        for heading, members in grouped([v for v in verdicts if v.applies]):
            self._heading(heading, members)
        absent = [v for v in verdicts if not v.applies]
        if absent:
            self._heading(f"{NOT_HERE_TITLE} ({len(absent)})", absent).setExpanded(False)
        self.blockSignals(False)
        if current in self.keys():
            self.select(current)

    def _heading(self, text: str, members: list[ViewVerdict]) -> QTreeWidgetItem:
        heading = QTreeWidgetItem(self, [text])
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = heading.font(0)
        font.setBold(True)
        heading.setFont(0, font)
        for verdict in members:
            item = QTreeWidgetItem(heading, [verdict.title])
            item.setData(0, KEY_ROLE, verdict.key)
            item.setData(0, WHY_ROLE, verdict.why_not)
            item.setToolTip(0, verdict.why_not or verdict.title)
            if not verdict.applies:
                item.setForeground(0, self.palette().placeholderText())
            self._items[verdict.key] = item
        heading.setExpanded(True)
        return heading

    def keys(self) -> list[str]:
        """The views that apply, in list order."""
        return [k for k, item in self._items.items() if not item.data(0, WHY_ROLE)]

    def why_not(self, key: str) -> str:
        item = self._items.get(key)
        return str(item.data(0, WHY_ROLE) or "") if item is not None else ""

    def title(self, key: str) -> str:
        item = self._items.get(key)
        return item.text(0) if item is not None else key

    def current_key(self) -> str:
        item = self.currentItem()
        return str(item.data(0, KEY_ROLE) or "") if item is not None else ""

    def select(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        if item.parent() is not None:
            item.parent().setExpanded(True)
        self.setCurrentItem(item)
        return True

    def step(self, delta: int) -> str:
        """Move to the next (+1) or previous (-1) view that applies, wrapping around."""
        keys = self.keys()
        if not keys:
            return ""
        current = self.current_key()
        index = keys.index(current) + delta if current in keys else (0 if delta > 0 else -1)
        key = keys[index % len(keys)]
        self.select(key)
        return key

    def _current_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        if key:
            self.viewChosen.emit(str(key))


class VerticalButton(QToolButton):
    """A slim button with its text turned upright, for the folded configuration column."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        size = super().sizeHint()
        return QSize(size.height(), size.width() + 16)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelButtonTool, option, painter, self)
        painter.translate(0, self.height())
        painter.rotate(-90)
        painter.drawText(0, 0, self.height(), self.width(), Qt.AlignmentFlag.AlignCenter, self.text())


class ConfigColumn(QWidget):
    """The configuration beside the views, with a button that folds it to a slim strip."""

    foldedChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configColumn")
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.fold_button = QToolButton(self.body)
        self.fold_button.setObjectName("foldConfiguration")
        self.fold_button.setArrowType(Qt.ArrowType.RightArrow)
        self.fold_button.setAutoRaise(True)
        self.fold_button.setToolTip("Fold the configuration away")
        self.fold_button.setAccessibleName("Fold the configuration away")
        self.fold_button.clicked.connect(lambda: self.set_folded(True))
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Configuration</b>", self.body))
        header.addStretch(1)
        header.addWidget(self.fold_button)
        self.body_layout.addLayout(header)
        self.strip = VerticalButton(self)
        self.strip.setObjectName("showConfiguration")
        self.strip.setText("Configuration")
        self.strip.setToolTip("Show the configuration")
        self.strip.setAccessibleName("Show the configuration")
        self.strip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.strip.clicked.connect(lambda: self.set_folded(False))
        self.strip.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.strip)
        layout.addWidget(self.body, 1)

    def set_content(self, widget: QWidget) -> None:
        self.body_layout.addWidget(widget, 1)

    @property
    def folded(self) -> bool:
        return self.body.isHidden()

    def set_folded(self, folded: bool) -> None:
        if folded == self.folded:
            return
        self.body.setVisible(not folded)
        self.strip.setVisible(folded)
        self.setMaximumWidth(self.strip.sizeHint().width() if folded else 16_777_215)
        self.foldedChanged.emit(folded)


class DocumentNavigator(QWidget):
    viewChanged = Signal(str)
    pageBuilt = Signal(str, object)
    """(key, widget) when a view's page was just made: the document hands it what it already knows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewNavigator")
        self.views = ViewList(self)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("viewPages")
        self.why_page = QLabel(self.pages)
        self.why_page.setObjectName("viewWhyNot")
        self.why_page.setWordWrap(True)
        self.why_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.why_page)
        self.config = ConfigColumn(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("navigatorSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget in (self.views, self.pages, self.config):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes(DEFAULT_SIZES)
        self._sizes_before_fold: list[int] = DEFAULT_SIZES
        self.config.foldedChanged.connect(self._on_folded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}
        self.views.viewChosen.connect(self.show_view)

    # ---- pages ------------------------------------------------------------------------------------

    def add_view(self, key: str, factory: Callable[[], QWidget | None]) -> None:
        """Register the page of a view; `factory` runs when the view is first needed. A factory that
        returns None (a panel that failed to load) leaves the view without a page."""
        self._factories[key] = factory

    def page(self, key: str) -> QWidget | None:
        """The view's page, made now if it was not yet; None for a view with no page."""
        if key not in self._pages:
            factory = self._factories.pop(key, None)
            widget = factory() if factory is not None else None
            if widget is None:
                return None
            self._pages[key] = widget
            self.pages.addWidget(widget)
            self.pageBuilt.emit(key, widget)
        return self._pages[key]

    def has_view(self, key: str) -> bool:
        """A page was registered for `key` (made or not)."""
        return key in self._pages or key in self._factories

    def built_pages(self) -> dict[str, QWidget]:
        return dict(self._pages)

    def build_next_pending(self, keys: list[str] | None = None) -> str | None:
        """Make one page not yet made (of `keys`, default all, in order); its key, or None if none is left."""
        for key in keys if keys is not None else list(self._factories):
            if key in self._factories:
                self.page(key)
                return key
        return None

    # ---- choosing a view --------------------------------------------------------------------------

    def set_verdicts(self, verdicts: list[ViewVerdict]) -> None:
        """List the views as they apply to the module now; stay on the current one if it still applies."""
        current = self.current_view()
        self.views.set_verdicts(verdicts)
        keys = self.views.keys()
        self.show_view(current if current in keys else (keys[0] if keys else current))

    def current_view(self) -> str:
        return self.views.current_key()

    def show_view(self, key: str) -> None:
        if not key:
            return
        if self.views.current_key() != key:
            self.views.select(key)  # comes back here through viewChosen
            if self.views.current_key() == key:
                return
        why = self.views.why_not(key)
        page = None if why else self.page(key)
        if page is None:
            title = self.views.title(key)
            self.why_page.setText(f"<p><b>{title}</b> does not apply here.</p><p>{why}</p>" if why
                                  else f"<p><b>{title}</b> is not available.</p>")
            self.pages.setCurrentWidget(self.why_page)
        else:
            self.pages.setCurrentWidget(page)
        self.viewChanged.emit(key)

    def next_view(self) -> str:
        return self.views.step(+1)

    def previous_view(self) -> str:
        return self.views.step(-1)

    # ---- the configuration column and the layout ---------------------------------------------------

    def set_config_widget(self, widget: QWidget) -> None:
        self.config.set_content(widget)

    def set_config_folded(self, folded: bool) -> None:
        self.config.set_folded(folded)

    def _on_folded(self, folded: bool) -> None:
        if not folded:
            self.splitter.setSizes(self._sizes_before_fold)
            return
        sizes = self.splitter.sizes()
        self._sizes_before_fold = sizes
        strip = self.config.strip.sizeHint().width()
        self.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - strip, strip])

    def layout_state(self) -> dict[str, Any]:
        sizes = self._sizes_before_fold if self.config.folded else self.splitter.sizes()
        return {"sizes": list(sizes), "config_folded": self.config.folded}

    def restore_layout(self, state: dict[str, Any]) -> None:
        sizes = state.get("sizes")
        if isinstance(sizes, list) and len(sizes) == 3 and all(isinstance(s, int) and s > 0 for s in sizes):
            self.splitter.setSizes(sizes)
            self._sizes_before_fold = sizes
        self.set_config_folded(bool(state.get("config_folded", False)))
