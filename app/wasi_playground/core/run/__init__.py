"""Running a module or command component from start to finish.

`runner` is the face: `start_run` (own thread), `run` (blocking), `RunJob` (execute on a thread you own,
`cancel` from any). `job` drives the phases; `module_run` and `component_run` are the two paths, which
see the job only through `context.RunContext`; `interposers` picks call tracing per kind;
`terminal_safety` keeps a module's output from taking over the user's terminal."""
