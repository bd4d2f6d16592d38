"""Calling exported functions by hand on a live instance: `module_session` for core modules,
`component_session` for components."""
