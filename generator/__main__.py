"""`python -m generator` is the same as the `etalase` command."""

from generator.cli import main

raise SystemExit(main())
