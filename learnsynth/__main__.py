import sys

from learnsynth.cli import main

sys.exit(main())
