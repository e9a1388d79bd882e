"""IPython extension: `%load_ext kata.magic`, then `%kata check 5.6.2`, `%kata hint [5.6.2]`,
`%kata status`, `%kata compare [5.6.2]` in a cell (kata/notebook.py does the work).

The screens are in the notebook's language: its setup cell sets it (kata.i18n.set_lang) before loading this."""


def kata_magic(line):
    from kata import notebook
    words = line.split()
    cmd, args = (words[0], words[1:]) if words else ("", [])
    if cmd == "check" and len(args) == 1:
        screen = notebook.check(args[0])
    elif cmd == "hint" and len(args) <= 1:
        screen = notebook.hint(*args)
    elif cmd == "status" and not args:
        screen = notebook.status()
    elif cmd == "compare" and len(args) <= 1:
        screen = notebook.compare(*args)
    else:
        from kata.i18n import t
        screen = notebook.Screen([t("nb_usage")], error=True)
    from IPython.display import display
    display(screen)


def load_ipython_extension(ipython):
    ipython.register_magic_function(kata_magic, magic_kind="line", magic_name="kata")
