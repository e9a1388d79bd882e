"""Text of the generated notebook (markdown cells, check-cell output).

Each entry: key -> (English, Korean, Japanese).
"""

MESSAGES = {}
