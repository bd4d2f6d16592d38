"""The inspector-side panels of a module document, in tab order.

Each entry names a `Panel` subclass (see `gui/document/panel.py`) as "module:Class"; it takes
`(context: DocumentContext, parent=None)` and keeps itself up to date from the context's signals. Imported
lazily so a missing optional panel never stops the window from opening.
"""

from __future__ import annotations

PANELS: list[tuple[str, str]] = [
    # (tab title, "wasi_playground.gui.some_panel:SomePanel")
    ("HTTP", "wasi_playground.gui.http.http_panel:HttpPanel"),
    ("Call", "wasi_playground.gui.calls.call_panel:CallPanel"),
    ("WIT", "wasi_playground.gui.inspector.wit_view:WitPanel"),
    ("Trace", "wasi_playground.gui.outcome.trace_view:TracePanel"),
    ("Capabilities", "wasi_playground.gui.inspector.capabilities:CapabilitiesPanel"),
    ("Contents", "wasi_playground.gui.lookinside.contents_view:ContentsPanel"),
    ("Functions", "wasi_playground.gui.lookinside.functions_view:FunctionsPanel"),
    ("Data", "wasi_playground.gui.lookinside.data_view:DataPanel"),
    ("Size", "wasi_playground.gui.lookinside.size_view:SizePanel"),
    ("Debug info", "wasi_playground.gui.lookinside.debug_view:DebugPanel"),
    ("Validation", "wasi_playground.gui.lookinside.validation_view:ValidationPanel"),
]
