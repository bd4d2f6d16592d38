"""Look inside a module: Functions with their WAT, Data, Size, Debug info and Validation."""
