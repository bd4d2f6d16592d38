"""Looking inside a core module: functions with names and WAT (`functions`, `disasm`), data strings
(`datascan`), where the bytes go (`sizes`), DWARF (`dwarf`), validation errors (`validate`), demangling,
and whole-module WAT export (`wat_export`)."""
