"""One open module: the widget that lays it out (`document`), what it does (`document_model`), the context
its tabs share (`context`), the contract every tab follows (`panel`), the registry of panels, what the
window hands it (`services`), the file watcher and the bridge from a core run to the GUI thread."""
