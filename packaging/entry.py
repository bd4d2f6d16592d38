"""Entry point of the frozen app: the same `main` as the `wasi-playground` console script."""

import multiprocessing

from wasi_playground.cli import main

multiprocessing.freeze_support()  # the helper process (core.elsewhere) starts as this same binary
raise SystemExit(main())
