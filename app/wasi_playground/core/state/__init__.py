"""What the playground remembers: preferences, window state and per-module configurations (`settings`),
presets (`presets`), the run history (`history`) and the comparison of two runs (`diff`)."""
