"""Allows ``python -m bot``."""

import sys

from bot.cli import main

if __name__ == "__main__":  # not when a chart worker process re-imports the main module
    sys.exit(main())
