"""Allow ``python -m advisor_app``."""

from advisor_app.cli import main

raise SystemExit(main())
