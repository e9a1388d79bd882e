"""The kata's one message catalog: every text a learner reads, in English, Korean and Japanese.

One module per area (core: the check screens; cli: the command line and set-up; notebook: the
generated notebook). MESSAGES merges them; a key is defined in exactly one area.
"""
from kata.catalog import cli, core, notebook


def _merge(*tables):
    merged = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"message keys defined in two catalog areas: {sorted(twice)}")
        merged.update(table)
    return merged


MESSAGES = _merge(core.MESSAGES, cli.MESSAGES, notebook.MESSAGES)
