"""The window around the documents: the main window, its menus, the message strip, About and Help,
recent files and the Samples menu."""
