"""`python -m kata <command>`: every `make` target of the kata, without make (works on Windows).

  setup    the venv, the pinned packages and MNIST, with Python alone (make venv data)
  init     create workspace/ with the stubbed modules (make kata)
  check    run the exercises in book order, show progress and the next one (make check)
  hint     reveal the next hint level (make hint [EX=5.6.2])
  watch    re-run check whenever a workspace file is saved (make watch)
  reset    restore one exercise's stubs, backing up your file first (make kata-reset EX=...)
  restore  list backups, or restore one (make restore [B=n])
  compare  after an exercise passes: your functions beside the reference's (make compare [EX=5.6.2])
  export   write a standalone learner repository (make export DIR=...)
  graph    draw the chapter's computational graphs with your values (make graph [NAME=buy_apple])
  notebook write workspace/chapter5.ipynb, the kata in Jupyter/Colab (make notebook)
  train    after 5.7.4: train on MNIST with your workspace's code (make kata-train ARGS="--iters 2000")

`--lang en|ko|ja` goes before or after the command. The help texts are the catalog's
(kata/catalog/cli.py), in the chosen language.

Only the standard library is imported at the top: `setup` must run with a bare Python, and a
Python without numpy/pytest gets one message saying which Python it is and how to fix it
instead of a traceback (runner, workspace, ... are imported when a command needs them).
"""
import argparse
import importlib.util
import os
import sys
from pathlib import Path

from kata import i18n
from kata.i18n import t

# module -> the package that installs it: what a command imports, checked before it runs
_TESTS = (("numpy", "numpy"), ("pytest", "pytest"), ("pytest_timeout", "pytest-timeout"),
          ("hypothesis", "hypothesis"), ("tqdm", "tqdm"))
NEEDS = {"check": _TESTS, "watch": _TESTS, "graph": (("numpy", "numpy"),), "notebook": (("nbformat", "nbformat"),),
         "train": (("numpy", "numpy"), ("tqdm", "tqdm"))}
# any other command that runs into one of these (hint without a state runs the tests) says the same
KNOWN_PACKAGES = {"numpy": "numpy", "pytest": "pytest", "pytest_timeout": "pytest-timeout",
                  "hypothesis": "hypothesis", "tqdm": "tqdm", "matplotlib": "matplotlib", "nbformat": "nbformat",
                  "nbclient": "nbclient", "ipykernel": "ipykernel"}
MAKE_TARGETS = {"init": "kata", "check": "check", "hint": "hint", "watch": "watch", "reset": "kata-reset",
                "restore": "restore", "compare": "compare", "export": "export", "graph": "graph",
                "notebook": "notebook", "train": "kata-train"}

# argparse's own words, looked up in the catalog (usage line, headings, usage errors)
_ARGPARSE_WORDS = {
    "usage: ": "argparse_usage",
    "positional arguments": "argparse_positionals",
    "options": "argparse_options",
    "show this help message and exit": "argparse_help",
    "%(prog)s: error: %(message)s\n": "argparse_error",
    "the following arguments are required: %s": "argparse_required",
    "unrecognized arguments: %s": "argparse_unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse_choice",
    "expected one argument": "argparse_one_arg",
    "argument %(argument_name)s: %(message)s": "argparse_argument",
    "invalid %(type)s value: %(value)r": "argparse_invalid",
}


def tolerant_console():
    """A console that cannot show a character (cp949, cp932, ascii) gets '?' for it, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass  # not a TextIOWrapper (a test's capture, a notebook): nothing to do


def lang_in(argv):
    """The value of the last --lang in argv (None without one), read before the parser exists."""
    code = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            code = argv[i + 1]
        elif arg.startswith("--lang="):
            code = arg.split("=", 1)[1]
    return code


def _lang_arg(value):
    code = value.strip().lower()
    if code not in i18n.SUPPORTED:
        raise argparse.ArgumentTypeError(t("bad_lang", code=value))
    return code


MIN_INTERVAL = 0.05  # seconds: watch's poll; below that it is a busy loop for nothing


def _interval_arg(value):
    """watch --interval: a finite number of seconds, at least MIN_INTERVAL (nan, inf, 0, -1 refused)."""
    import math
    try:
        secs = float(value)
    except ValueError:
        secs = math.nan
    if not (math.isfinite(secs) and secs >= MIN_INTERVAL):
        raise argparse.ArgumentTypeError(t("bad_interval", value=value, min=MIN_INTERVAL))
    return secs


def _common(sub):
    """--lang and --workspace, on the main parser and on every command (so before or after it).

    A command's copy leaves the value unset when absent (SUPPRESS): otherwise its default
    would overwrite what was given before the command.
    """
    parser = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if sub else None
    parser.add_argument("--lang", type=_lang_arg, default=default, metavar="en|ko|ja", help=t("opt_lang"))
    parser.add_argument("--workspace", type=Path, default=default, help=t("opt_workspace"))
    return parser


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m kata", description=t("cli_description"),
                                     epilog=t("cli_epilog"), parents=[_common(False)],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    common = [_common(True)]
    sub = parser.add_subparsers(dest="cmd", required=True, title=t("cli_commands"), metavar="<command>")

    def command(name, key):
        return sub.add_parser(name, help=t(key), description=t(key), parents=common)

    p = command("setup", "cmd_setup")
    p.add_argument("--venv", type=Path, default=None, help=t("opt_venv"))
    p.add_argument("--no-data", action="store_true", help=t("opt_no_data"))
    p.add_argument("--dry-run", action="store_true", help=t("opt_dry_run"))
    p = command("init", "cmd_init")
    p.add_argument("--accept-tests", action="store_true", help=t("opt_accept_tests"))
    p = command("check", "cmd_check")
    p.add_argument("exercise", nargs="?", help=t("arg_check_exercise"))
    p.add_argument("--fast", action="store_true", help=t("opt_fast"))
    p.add_argument("--strict", action="store_true", help=t("opt_strict"))
    p.add_argument("--all", action="store_true", dest="fresh", help=t("opt_fresh"))
    p = command("hint", "cmd_hint")
    p.add_argument("exercise", nargs="?", help=t("arg_hint_exercise"))
    p = command("watch", "cmd_watch")
    p.add_argument("--interval", type=_interval_arg, default=0.1, help=t("opt_interval"))
    p.add_argument("--all", action="store_true", help=t("opt_watch_all"))
    p = command("reset", "cmd_reset")
    p.add_argument("exercise", help=t("arg_reset_exercise"))
    p = command("restore", "cmd_restore")
    p.add_argument("backup", nargs="?", help=t("arg_backup"))
    p = command("compare", "cmd_compare")
    p.add_argument("exercise", nargs="?", help=t("arg_compare_exercise"))
    p = command("export", "cmd_export")
    p.add_argument("dir", type=Path, help=t("arg_export_dir"))
    p = command("graph", "cmd_graph")
    p.add_argument("name", nargs="?", default=None, help=t("arg_graph_name"))
    p.add_argument("--no-png", action="store_true", help=t("opt_no_png"))
    command("notebook", "cmd_notebook")
    p = command("train", "cmd_train")
    p.add_argument("args", nargs=argparse.REMAINDER, help=t("arg_train_args"))
    return parser


def parse(argv):
    """Parse argv with argparse's own words in the screen's language (restored afterwards)."""
    english = argparse._
    argparse._ = lambda text: t(_ARGPARSE_WORDS[text]) if text in _ARGPARSE_WORDS else english(text)
    try:
        return build_parser().parse_args(argv)
    finally:
        argparse._ = english


# --- a Python without the kata's packages --------------------------------------------------

def missing_modules(cmd, args=None):
    """The packages (pip names) that `cmd` needs and this Python cannot import."""
    needs = NEEDS.get(cmd, ())
    if cmd == "hint" and args is not None and args.exercise is None:
        from kata import workspace as wsmod
        state = wsmod.load_state(workspace_of(args))
        if state.get("current") is None and "statuses" not in state:  # hint runs the tests to find it
            needs = _TESTS
    return [package for module, package in needs if importlib.util.find_spec(module) is None]


def workspace_of(args):
    """--workspace, else KATA_WORKSPACE (what `make check WS=dir` sets), else the default one."""
    from kata import workspace as wsmod
    return args.workspace or (Path(os.environ["KATA_WORKSPACE"]) if os.environ.get("KATA_WORKSPACE") else None) \
        or wsmod.default_workspace()


def missing_message(cmd, packages, argv):
    from kata import setup
    venv_python = setup.venv_python(setup.default_venv())
    rest = setup.command_line(argv) if argv else cmd  # quoted as this OS's shell needs
    venv_cmd = f"{setup.shown(venv_python)} -m kata {rest}"
    fields = dict(packages=", ".join(packages), cmd=cmd, python=sys.executable,
                  setup=f"{setup.shown(Path(sys.executable))} -m kata setup", venv_cmd=venv_cmd)
    # a venv's python is a link to the base interpreter: compare the environments, not the executables
    if setup.venv_works(setup.default_venv()) and Path(sys.prefix).resolve() != setup.default_venv().resolve():
        return t("missing_packages_venv", make_target=MAKE_TARGETS.get(cmd, cmd), **fields)
    return t("missing_packages", **fields)


def _known_missing(err):
    top = (err.name or "").split(".")[0]
    return KNOWN_PACKAGES.get(top)


def train(ws, root, extra):
    """The workspace's train_neuralnet.py as a program, the learner's modules first on its path.

    Python puts the script's folder (the workspace) first, so layers, two_layer_net and
    train_neuralnet are the learner's; the repository comes after it for what a workspace does
    not hold (the dataset/ and training/ packages the book's scripts use).
    """
    import subprocess
    from kata import workspace as wsmod
    ws = Path(ws)
    script = ws / "train_neuralnet.py"
    if not script.is_file():
        raise wsmod.KataError(t("no_workspace"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(var, "1")  # as make train: one BLAS thread, the README's timings
    plot = ws / "train_accuracy.png"  # train_neuralnet.py's default plot, which it replaces
    if plot.is_file() and not any(a == "--no-plot" or a.startswith("--plot") for a in extra):
        print(t("train_plot_backed_up", path=wsmod.backup(ws, plot, "train")), flush=True)
    print(t("train_start", ws=ws), flush=True)
    code = subprocess.call([sys.executable, str(script), *extra], cwd=ws, env=env)
    if code != 0:
        print(t("train_failed", code=code), file=sys.stderr)
    return code


def main(argv=None):
    tolerant_console()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        i18n.set_lang(lang_in(argv))
    except ValueError:
        i18n.set_lang(None)  # the parser below reports the bad --lang as a usage error
    args = parse(argv)
    if args.lang:
        i18n.set_lang(args.lang)

    if args.cmd == "setup":
        from kata import setup
        return setup.command(venv=args.venv, data=not args.no_data, dry_run=args.dry_run)
    catch_termination()
    missing = missing_modules(args.cmd, args)
    if missing:
        print(missing_message(args.cmd, missing, argv), file=sys.stderr)
        return 1
    try:
        return run(args)
    except BrokenPipeError:  # the reader went away (`python -m kata check | head`): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except ModuleNotFoundError as err:
        package = _known_missing(err)
        if package is None:
            raise
        print(missing_message(args.cmd, [package], argv), file=sys.stderr)
        return 1


def run(args):
    from kata import runner
    from kata import workspace as wsmod
    from kata.manifest import BY_ID

    ws = workspace_of(args)  # the runner sets KATA_WORKSPACE for its test process too
    try:
        if args.cmd == "init":
            print(wsmod.init(ws, accept_tests=args.accept_tests))
            return 0
        if args.cmd == "check":
            if args.exercise and args.exercise not in BY_ID:
                raise wsmod.KataError(t("bad_exercise", id=args.exercise, known=", ".join(BY_ID)))
            return runner.check(ws, fast=args.fast, only=[args.exercise] if args.exercise else None,
                                strict=True if args.strict else None, fresh=args.fresh)
        if args.cmd == "hint":
            return runner.hint(ws, args.exercise)
        if args.cmd == "watch":
            return runner.watch(ws, interval=args.interval, fast=not args.all)
        if args.cmd == "reset":
            print("\n".join(wsmod.reset(ws, args.exercise)))
            return 0
        if args.cmd == "restore":
            print("\n".join(wsmod.restore(ws, args.backup)))
            return 0
        if args.cmd == "compare":
            from kata import compare
            return compare.compare(ws, args.exercise)
        if args.cmd == "export":
            from kata import export
            print("\n".join(export.export(args.dir)))
            return 0
        if args.cmd == "graph":
            from kata import graph
            return graph.command_with_deadline(args.name, ws, wsmod.ROOT, png=not args.no_png)
        if args.cmd == "notebook":
            from kata import notebook
            print("\n".join(notebook.write_notebook(ws, lang=i18n.lang())))
            return 0
        if args.cmd == "train":
            return train(ws, wsmod.ROOT, args.args[1:] if args.args[:1] == ["--"] else args.args)
    except wsmod.KataError as err:
        print(err, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, runner.KataInterrupted) as err:
        try:
            print(interrupted_message(err, ws), file=sys.stderr)  # one line, not a traceback
        except OSError:
            pass  # SIGHUP: the terminal is gone, and nobody reads this line
        return 128 + (getattr(err, "signum", None) or 2)
    return 2


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, `kill`): ends a command like Ctrl-C does, so its
    temporary files and its test processes are cleaned up and one true line is printed."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame):
    raise Terminated(signum)


def catch_termination():
    import signal
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, _terminate)
            except (ValueError, OSError):  # not the main thread: keep the default
                pass


def interrupted_message(err, ws):
    """What a stop by Ctrl-C or a signal changed: nothing, or the files whose new version is in place
    (the rename was done before the signal came)."""
    import signal
    from kata import fsutil
    signum = getattr(err, "signum", None)
    how = "Ctrl-C" if signum in (None, signal.SIGINT) else signal.Signals(signum).name
    try:
        from kata.workspace import LINKED_PACKAGES
        meta = (Path(ws) / ".kata").resolve()
        # the kata's own files (its state, the package links) are not the learner's
        links = {(Path(ws) / package / "__init__.py").resolve() for package in LINKED_PACKAGES}
        files = [p for p in fsutil.replaced_files()
                 if meta not in Path(p).resolve().parents and Path(p).resolve() not in links]
    except OSError:
        files = fsutil.replaced_files()
    if files:
        return t("interrupted_saved", how=how, files=", ".join(str(p) for p in files))
    return t("interrupted") if how == "Ctrl-C" else t("terminated", how=how)


if __name__ == "__main__":
    sys.exit(main())
