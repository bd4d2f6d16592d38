"""One open module: the document that holds its panels, the context they share, the registry of
panels, the file watcher and the bridge from a core run to the GUI thread."""
