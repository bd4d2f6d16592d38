"""The run configuration editor: arguments, environment, folders, stdin, limits, entry point and presets."""
