"""One module per `wasi-playground` subcommand; each has `main(argv) -> exit status`."""
