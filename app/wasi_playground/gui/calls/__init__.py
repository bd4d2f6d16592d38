"""The Call tab: typed calls of exported functions, component value editors and the memory view."""
