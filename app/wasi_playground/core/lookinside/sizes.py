"""Where a module's bytes go: sections, the kinds of content, and the largest functions.

Each section is charged its whole encoded size (id byte, size field and payload), so the parts add up to
the file size and a chart of them is honest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wasi_playground.core.binary.reader import Section, read_sections

CATEGORIES = ("code", "data", "debug info", "names", "other custom", "declarations", "header")


@dataclass(frozen=True, slots=True)
class SectionSize:
    name: str
    category: str
    offset: int
    size: int


@dataclass
class SizeReport:
    total: int
    sections: list[SectionSize]
    categories: dict[str, int]
    largest_functions: list[tuple[int, str, int]] = field(default_factory=list)
    """(function index, name, body size), biggest first."""

    def share(self, category: str) -> float:
        return self.categories.get(category, 0) / self.total if self.total else 0.0


def category_of(section: Section) -> str:
    if section.id == 10:
        return "code"
    if section.id == 11:
        return "data"
    if section.id == 0:
        name = section.custom_name or ""
        if name.startswith(".debug_") or name in ("external_debug_info", "sourceMappingURL"):
            return "debug info"
        if name == "name":
            return "names"
        return "other custom"
    return "declarations"


def size_report(data: bytes, largest: int = 25) -> SizeReport:
    """The breakdown of a module or component; largest functions only for core modules."""
    kind, sections = read_sections(data)
    rows = [SectionSize(s.custom_name if s.id == 0 and s.custom_name else s.name, category_of(s), s.offset,
                        s.end - s.offset) for s in sections]
    categories = dict.fromkeys(CATEGORIES, 0)
    categories["header"] = 8
    for row in rows:
        categories[row.category] += row.size
    report = SizeReport(len(data), rows, categories)
    if kind == "module":
        from wasi_playground.core.lookinside.functions import FunctionTable

        table = FunctionTable.from_bytes(data)
        report.largest_functions = [
            (i, table.display_name(i), table.body_size(i)) for i in table.largest(largest)
        ]
    return report
