"""``python -m runofshow`` behaves exactly like the ``runofshow`` command."""

from runofshow.cli import main

raise SystemExit(main())
