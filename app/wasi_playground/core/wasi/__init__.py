"""What WASI is, as data: every preview-1 function with its types, errno and capability group
(`preview1`), and what a module's imports say about the system it expects (`knowledge`)."""
