"""How a run went: output panes, the outcome banner, timings, history and comparison, the trace and the
files it changed."""
