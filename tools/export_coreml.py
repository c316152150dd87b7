#!/usr/bin/env python3
"""Same as `voice export coreml …` (kept as a tool script): export and verify the Whisper encoder."""

import sys

from voice.cli import main

if __name__ == "__main__":
    sys.exit(main(["export", "coreml", *sys.argv[1:]]))
