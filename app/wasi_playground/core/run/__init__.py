"""Running a module or command component from start to finish on a thread of its own: `runner`
(`start_run`, `run`), with the component path in `component_run`. `terminal_safety` keeps a module's
output from taking over the user's terminal."""
