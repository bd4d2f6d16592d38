"""Entry point of the frozen app: the same `main` as the `wasi-playground` console script."""

from wasi_playground.cli import main

raise SystemExit(main())
