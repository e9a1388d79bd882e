"""`python -m kata <command>`: every `make` target of the kata, without make (works on Windows).

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
"""
import argparse
import os
import sys
from pathlib import Path

from kata import runner
from kata import workspace as wsmod
from kata.i18n import t
from kata.manifest import BY_ID


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", type=Path, default=None,
                        help="the learner's folder (default: workspace/, or . in an exported repository)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("init", help="create the workspace with the stubs")
    p.add_argument("--accept-tests", action="store_true",
                   help="only re-record the tests' hashes after an intentional update")
    p = sub.add_parser("check", help="run the exercises in book order")
    p.add_argument("exercise", nargs="?", help="only this exercise (and its prerequisites)")
    p.add_argument("--fast", action="store_true", help="leave out the slow tests (MNIST training)")
    p.add_argument("--strict", action="store_true",
                   help="notes (what the reference does beyond the book) are required too (or KATA_STRICT=1)")
    p.add_argument("--all", action="store_true", dest="fresh",
                   help="forget remembered verdicts and run every exercise (what CI does)")
    p = sub.add_parser("hint", help="reveal the next hint level")
    p.add_argument("exercise", nargs="?")
    p = sub.add_parser("watch", help="re-run check on every save (polling)")
    p.add_argument("--interval", type=float, default=0.1, help="seconds between polls of the files")
    p.add_argument("--all", action="store_true", help="include the slow tests")
    p = sub.add_parser("reset", help="restore one exercise's stubs (your file is backed up first)")
    p.add_argument("exercise")
    p = sub.add_parser("restore", help="list backups, or restore one by number")
    p.add_argument("backup", nargs="?")
    p = sub.add_parser("compare", help="your functions beside the reference's, for a done exercise")
    p.add_argument("exercise", nargs="?", help="default: the last exercise done")
    p = sub.add_parser("export", help="write a standalone learner repository")
    p.add_argument("dir", type=Path)
    p = sub.add_parser("graph", help="draw the computational graphs (SVG, and PNG when a renderer exists)")
    p.add_argument("name", nargs="?", default=None,
                   help="buy_apple, buy_apple_orange, a layer (MulLayer, ..., SoftmaxWithLoss) or an exercise "
                        "(5.4.1, ...); default: all")
    p.add_argument("--no-png", action="store_true", help="write only the SVGs")
    p = sub.add_parser("notebook", help="write workspace/chapter5.ipynb (an existing one is backed up first)")
    p.add_argument("--lang", choices=("en", "ko"), default=None, help="default: KATA_LANG")
    args = parser.parse_args(argv)

    # KATA_WORKSPACE: what `make check WS=dir` sets (the runner sets it for its test process too)
    ws = args.workspace or (Path(os.environ["KATA_WORKSPACE"]) if os.environ.get("KATA_WORKSPACE") else None) \
        or wsmod.default_workspace()
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
            return graph.command(args.name, ws, wsmod.ROOT, png=not args.no_png)
        if args.cmd == "notebook":
            from kata import notebook
            from kata.i18n import lang
            print("\n".join(notebook.write_notebook(ws, lang=args.lang or lang())))
            return 0
    except wsmod.KataError as err:
        print(err, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, runner.KataInterrupted):
        print(t("interrupted"), file=sys.stderr)  # one line, not a traceback
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
