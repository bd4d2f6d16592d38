"""The window and what composes the regions: the main window, its menus, the first screen, the message
strip, About and Help, recent files, the Samples and Copy-as menus, and the document widget that lays
out one open module's views (`document`, `run_output_page`)."""
