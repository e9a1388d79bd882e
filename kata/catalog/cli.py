"""Messages of the command line itself: help texts, set-up, missing packages.

Each entry: key -> (English, Korean, Japanese).
"""

MESSAGES = {}
