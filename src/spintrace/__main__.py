import sys

from spintrace.cli import main

sys.exit(main())
