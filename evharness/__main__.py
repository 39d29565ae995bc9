import sys

from evharness.cli import main

sys.exit(main())
