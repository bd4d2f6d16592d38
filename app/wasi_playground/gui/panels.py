"""The inspector-side panels of a module document, in tab order.

Each entry names a QWidget class as "module:Class"; the class takes `(context: DocumentContext, parent=None)`
and keeps itself up to date from the context's signals. Imported lazily so a missing optional panel
never stops the window from opening.
"""

from __future__ import annotations

PANELS: list[tuple[str, str]] = [
    # (tab title, "wasi_playground.gui.some_panel:SomePanel")
    ("HTTP", "wasi_playground.gui.http_panel:HttpPanel"),
    ("Call", "wasi_playground.gui.call_panel:CallPanel"),
    ("WIT", "wasi_playground.gui.wit_view:WitPanel"),
    ("Trace", "wasi_playground.gui.trace_view:TracePanel"),
    ("Capabilities", "wasi_playground.gui.capabilities_panel:CapabilitiesPanel"),
    ("Functions", "wasi_playground.gui.functions_view:FunctionsPanel"),
    ("Data", "wasi_playground.gui.data_view:DataPanel"),
    ("Size", "wasi_playground.gui.size_view:SizePanel"),
    ("Debug info", "wasi_playground.gui.debug_view:DebugPanel"),
    ("Validation", "wasi_playground.gui.validation_view:ValidationPanel"),
]
