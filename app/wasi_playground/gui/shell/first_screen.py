"""The window's first screen: the lessons (samples grouped by what they teach), recent files, a drop target
and one paragraph on what WASI's deny-by-default means.

It only shows and asks: choosing a lesson emits `lessonChosen(sample)`, a recent or dropped file
`fileChosen(path)`, the Open button `openRequested()`. The window decides what opening means.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wasi_playground.core.samples import LessonGroup, Sample

DENY_BY_DEFAULT = (
    "A WASI module starts with nothing: no files, no environment variables, no arguments, no network. "
    "It can touch only what the host grants it, and here you are the host. Grant a folder, a variable or "
    "an argument in the configuration, switch a capability off, run again, and watch in the trace what "
    "the module asked for and what it was refused."
)
LESSON_COLUMNS = 2


class DropTarget(QFrame):
    """A framed area that accepts dropped files (the whole window does too; this one says so)."""

    filesDropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropTarget")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Sunken)
        self.setMinimumHeight(96)
        self.setAccessibleName("Drop a module here")
        self.label = QLabel("Drop a <b>.wasm</b> or <b>.wat</b> file here", self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton("Open a module…", self)
        self.open_button.setObjectName("firstScreenOpen")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


class LessonButton(QCommandLinkButton):
    """One lesson: the sample's title, its one-line lesson below it, the whole description as tooltip."""

    def __init__(self, sample: Sample, parent: QWidget | None = None) -> None:
        super().__init__(sample.title, sample.teaches, parent)
        self.sample = sample
        self.setObjectName(f"lesson_{sample.name}")
        self.setToolTip(sample.description)
        self.setAccessibleDescription(sample.teaches)
        self.setIconSize(QSize(12, 12))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # QCommandLinkButton reserves room for a wrapped description; ours is one line.
        self.setFixedHeight(self.heightForWidth(1000))


class FirstScreen(QWidget):
    lessonChosen = Signal(object)
    """A `core.samples.Sample` to open with its prepared configuration."""
    fileChosen = Signal(str)
    openRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstScreen")
        self.lesson_buttons: dict[str, LessonButton] = {}
        self._lessons = QWidget(self)
        self._lessons_layout = QGridLayout(self._lessons)
        self._lessons_layout.setContentsMargins(0, 0, 0, 0)
        self._lessons_layout.setHorizontalSpacing(18)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._lessons)

        heading = QLabel("<h2>Lessons</h2>", self)
        lessons_side = QVBoxLayout()
        lessons_side.addWidget(heading)
        lessons_side.addWidget(scroll, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(24)
        layout.addLayout(lessons_side, 3)
        layout.addLayout(self._build_side(), 1)

    def _build_side(self) -> QVBoxLayout:
        about = QLabel(f"<h2>Deny by default</h2><p>{DENY_BY_DEFAULT}</p>", self)
        about.setObjectName("denyByDefault")
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.RichText)
        self.drop_target = DropTarget(self)
        self.drop_target.filesDropped.connect(lambda paths: [self.fileChosen.emit(p) for p in paths])
        self.drop_target.open_button.clicked.connect(self.openRequested)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recentFilesList")
        self.recent.setAccessibleName("Recent files")
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.itemActivated.connect(self._recent_activated)
        side = QVBoxLayout()
        side.addWidget(about)
        side.addWidget(self.drop_target)
        side.addWidget(QLabel("<h3>Recent files</h3>", self))
        side.addWidget(self.recent, 1)
        return side

    def set_lessons(self, groups: list[LessonGroup]) -> None:
        """Lay the groups out in columns, each column filled to about the same number of lessons."""
        while (item := self._lessons_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.lesson_buttons.clear()
        columns: list[list[LessonGroup]] = [[] for _ in range(LESSON_COLUMNS)]
        for group in groups:
            min(columns, key=lambda c: sum(len(g.samples) for g in c)).append(group)
        for column, members in enumerate(columns):
            box = QVBoxLayout()
            for group in members:
                box.addWidget(self._group_widget(group))
            box.addStretch(1)
            holder = QWidget(self._lessons)
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            self._lessons_layout.addWidget(holder, 0, column)
        if not groups:
            self._lessons_layout.addWidget(QLabel("No samples are installed.", self._lessons), 0, 0)

    def _group_widget(self, group: LessonGroup) -> QWidget:
        widget = QWidget(self._lessons)
        widget.setObjectName(f"lessonGroup_{group.key}")
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(2)
        title = QLabel(f"<b>{group.title}</b> — {group.summary}", widget)
        title.setWordWrap(True)
        layout.addWidget(title)
        for sample in group.samples:
            button = LessonButton(sample, widget)
            button.clicked.connect(lambda _=False, s=sample: self.lessonChosen.emit(s))
            layout.addWidget(button)
            self.lesson_buttons[sample.name] = button
        return widget

    def set_recent_files(self, paths: list[str]) -> None:
        self.recent.clear()
        existing = [p for p in paths if Path(p).is_file()]
        for path in existing:
            item = QListWidgetItem(f"{Path(path).name}  —  {Path(path).parent}")
            item.setToolTip(path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        if not existing:
            item = QListWidgetItem("No recent files yet: open a lesson or a module.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.fileChosen.emit(str(path))
