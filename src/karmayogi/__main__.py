"""``python -m karmayogi``: the same as the ``karmayogi`` command."""

import sys

from karmayogi._cli import main

sys.exit(main())
