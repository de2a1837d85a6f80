"""`python -m studyapp` runs the same command line as the `studyapp` script."""

import sys

from studyapp.cli import main

sys.exit(main())
