"""Command-line front-end: parses arguments and calls the pipeline; no logic of its own.

Each sub-command lives in its own module with ``register(subparsers)``; errors a user can act on
(``SpintraceError``) become one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Container, Sequence
from typing import NoReturn
from pathlib import Path

from spintrace.errors import InputError, SpintraceError
from spintrace.processes import Terminated, sigterm_unwinds

COMMAND_MODULES = ("compare", "index", "search", "trace", "scan", "serve", "eval")


def emit(output: str, path: str | None) -> None:
    """Write a command's output to ``path``, or to stdout when no path is given."""
    if not path:
        sys.stdout.write(output)
        return
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(output)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror}") from None


def check_output(path: str | None, inputs: Sequence[str | Path] = (), index: str | Path | None = None) -> None:
    """Refuse, before any work is done, an output path that would overwrite one of ``inputs`` or a
    file of the ``index`` folder, or that cannot be written (a folder, a missing folder)."""
    if not path:
        return
    out = Path(path)
    for name in inputs:
        if str(name) != "-" and _same_file(out, Path(name)):
            raise InputError(path, f"is the input {name} itself; write the output elsewhere")
    # (an empty index path is the index's own error to report, not the current folder)
    if index is not None and str(index).strip() and out.resolve().is_relative_to(Path(index).resolve()):
        raise InputError(path, f"is inside the index folder {index}; write the output elsewhere")
    if out.is_dir():
        raise InputError(path, "is a folder; give a file name")
    if not out.resolve().parent.is_dir():
        raise InputError(path, f"cannot write: no such folder {out.parent}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)  # links and ./ spellings included
    except OSError:
        return False


def display_name(path: str) -> str:
    """A file name fit to print and to write into a UTF-8 report, whatever bytes the name holds
    (undecodable bytes in a file name come back from the OS as lone surrogates)."""
    return os.fsencode(Path(path).name).decode("utf-8", "replace") if path != "-" else "stdin"


def warn_unknown_ids(index: Container[str], ids: Sequence[str], option: str = "--exclude") -> None:
    """An id the user named that the index does not hold is worth a word: a typo excludes nothing."""
    for doc_id in ids:
        if doc_id not in index:
            print(f"spintrace: warning: {option} {doc_id}: no such document in the index", file=sys.stderr)


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument error is one line naming the fix, like every other error of the tool, not
    argparse's usage block followed by the error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="spintrace",
        description="Find reused news text (copied, edited, spun, paraphrased), trace it to its source and show what changed.",
    )
    parser.add_argument("--version", action="version", version="spintrace 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"spintrace.cli.{name}_command")
        except ModuleNotFoundError as exc:
            if exc.name != f"spintrace.cli.{name}_command":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help(sys.stderr)  # no command at all: what the commands are, not one line
        return 2
    args = parser.parse_args(argv)
    try:
        with sigterm_unwinds():
            return int(args.run(args) or 0)
    except SpintraceError as exc:
        print(f"spintrace: error: {exc}", file=sys.stderr)
        return 2
    except Terminated:
        print("spintrace: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("spintrace: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        print("spintrace: error: out of memory (input too large?)", file=sys.stderr)
        return 2
