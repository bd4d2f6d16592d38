from wasi_playground.cli import main

raise SystemExit(main())
