"""Headless notebook runner for the ml-dataprep-ts kernel (called by `npm run notebooks`).

    npm run notebooks [-- PATH...] [-p NAME=VALUE ...] [--out DIR] [--timeout SECONDS]

Executes each notebook with the project kernel, in workshop order, and writes the executed .ipynb
and a standalone .html under out/notebooks/. Parameters work like papermill's: the cell tagged
`parameters` holds `const name = literal;` defaults, and each -p NAME=VALUE is injected in a new cell
right after it, typed like that parameter's default.

tslab reports errors only as stderr text with an `error` execute_reply, and answers `abort` to
requests that arrive within 200 ms of an error. So a run fails on any error reply, any abort reply
and any stderr output, and the cells after the failing one are not run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL_NAME = "ml-dataprep-ts"
PARAM_TAG = "parameters"
INJECTED_TAG = "injected-parameters"

# `const name = value;`, `let name: type = value`, one declaration per line.
DECL = re.compile(r"^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[^=]+?)?\s*=\s*(.+?)\s*;?\s*(?://.*)?$")
NAME = re.compile(r"^[A-Za-z_$][\w$]*$")


class UsageError(Exception):
    """Bad command line or notebook parameters: reported as one line, exit code 2."""


# Workshop order of the tracks, as the launcher lists them (extension/src/notebooks.ts TRACK_ORDER).
TRACK_ORDER = ["", "tabular", "image"]


def natural_key(path: Path) -> list:
    rel = path.relative_to(NOTEBOOKS).as_posix() if path.is_relative_to(NOTEBOOKS) else path.as_posix()
    track = rel.split("/")[0] if "/" in rel and path.is_relative_to(NOTEBOOKS) else ""
    rank = TRACK_ORDER.index(track) if track in TRACK_ORDER else len(TRACK_ORDER)
    return [rank] + [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", rel)]


def collect(paths: list[str]) -> list[Path]:
    """Notebooks to run: the given files and folders, or all of notebooks/, in workshop order."""
    targets = [Path(p) for p in paths] or [NOTEBOOKS]
    found: list[Path] = []
    for target in targets:
        path = target if target.is_absolute() else Path.cwd() / target
        if not path.exists():
            raise UsageError(f"notebook path does not exist: {target} (give a .ipynb file or a folder under notebooks/)")
        if path.is_dir():
            found.extend(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix != ".ipynb":
            raise UsageError(f"not a notebook: {target} (expected a .ipynb file)")
        else:
            found.append(path)
    unique = sorted({p.resolve() for p in found}, key=natural_key)
    if not unique:
        raise UsageError(f"no notebooks found under {', '.join(paths) or 'notebooks/'}")
    return unique


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not NAME.match(name):
            raise UsageError(f"malformed -p {pair!r} (expected -p NAME=VALUE, e.g. -p seed=7)")
        overrides[name] = value
    return overrides


def parameter_defaults(cell_source: str) -> dict[str, str]:
    """The `name -> default literal` declarations of a parameters cell."""
    params: dict[str, str] = {}
    for line in cell_source.splitlines():
        m = DECL.match(line)
        if m:
            params[m.group(1)] = m.group(2)
    return params


def literal_like(default: str, value: str, name: str, notebook: str) -> str:
    """`value` as a TypeScript literal of the same type as the `default` literal."""
    d = default.strip()
    if d[:1] in "\"'`":
        return json.dumps(value)
    if d in ("true", "false"):
        if value.lower() not in ("true", "false"):
            raise UsageError(f"{notebook}: -p {name}={value} is not a boolean (expected true or false)")
        return value.lower()
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", d):
        try:
            float(value)
        except ValueError:
            raise UsageError(f"{notebook}: -p {name}={value} is not a number (its default is {d})") from None
        return value
    if d[:1] in "[{" or d == "null":
        try:
            return json.dumps(json.loads(value))
        except json.JSONDecodeError:
            raise UsageError(f"{notebook}: -p {name}={value} is not JSON (its default is {d})") from None
    raise UsageError(f"{notebook}: parameter {name} has a default ({d}) that is not a literal; -p cannot override it")


def inject(nb, overrides: dict[str, str], label: str) -> int | None:
    """Insert a cell after the `parameters` cell; return its index, or None when nothing to inject."""
    if not overrides:
        return None
    index = next((i for i, c in enumerate(nb.cells) if PARAM_TAG in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise UsageError(f"{label} has no cell tagged 'parameters', so -p {next(iter(overrides))}=... cannot be applied")
    defaults = parameter_defaults(nb.cells[index].source)
    lines = ["// Injected by `npm run notebooks -p`"]
    for name, value in overrides.items():
        if name not in defaults:
            raise UsageError(f"{label} has no parameter {name!r}; its parameters are: {', '.join(defaults) or '(none)'}")
        lines.append(f"const {name} = {literal_like(defaults[name], value, name, label)};")
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    nb.cells.insert(index + 1, cell)
    return index + 1


def stderr_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


ERROR_LINE = re.compile(r"^(?:Uncaught\s+)?(?:[A-Za-z_$][\w$.]*)?(?:Error|Exception)\b.*")


def first_line(text: str) -> str:
    """The line that says what went wrong: `TypeError: ...` from a stack, else the first line."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    return next((l for l in lines if ERROR_LINE.match(l)), lines[0] if lines else "")


class Failure(Exception):
    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index
        self.message = message


def execute(nb, path: Path, timeout: int) -> int:
    """Run every code cell; return how many ran. Raise Failure(index, message) on the first problem."""
    ran = 0

    def on_executed(cell, cell_index, execute_reply):
        nonlocal ran
        status = execute_reply["content"].get("status")
        if status == "abort":
            raise Failure(cell_index, "the kernel aborted this cell (it followed an error)")
        ran += 1
        err = stderr_text(cell)
        if err:
            raise Failure(cell_index, first_line(err))

    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        startup_timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=on_executed,
    )
    try:
        client.execute()
    except Failure:
        raise
    except CellExecutionError as e:
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count") is not None and stderr_text(c)), None)
        if index is None:
            index = max((i for i, c in enumerate(nb.cells) if c.get("execution_count") is not None), default=0)
        raise Failure(index, first_line(stderr_text(nb.cells[index])) or first_line(str(e)) or "cell failed") from None
    except CellTimeoutError:
        index = max((i for i, c in enumerate(nb.cells) if c.get("execution_count") is not None), default=0)
        raise Failure(index, f"timed out after {timeout} s (raise it with --timeout)") from None
    except DeadKernelError as e:
        raise Failure(-1, f"the kernel died: {first_line(str(e))}") from None
    return ran


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def export(nb, out_ipynb: Path) -> None:
    from html_export import to_html  # local module: nbconvert HTML with one shared plotly.js

    write_atomic(out_ipynb, nbformat.writes(nb))
    write_atomic(out_ipynb.with_suffix(".html"), to_html(nb))


def output_path(path: Path, out_dir: Path) -> Path:
    rel = path.relative_to(NOTEBOOKS) if path.is_relative_to(NOTEBOOKS) else Path(path.name)
    return out_dir / rel


def run_one(path: Path, overrides: dict[str, str], out_dir: Path, timeout: int) -> bool:
    label = path.relative_to(NOTEBOOKS).with_suffix("").as_posix() if path.is_relative_to(NOTEBOOKS) else path.stem
    nb = nbformat.read(path, as_version=4)
    injected = inject(nb, overrides, label)
    total = sum(1 for c in nb.cells if c.cell_type == "code")
    start = time.monotonic()
    failure = None
    try:
        ran = execute(nb, path, timeout)
    except Failure as f:
        failure = f
        ran = sum(1 for c in nb.cells[: max(f.index, 0) + 1] if c.cell_type == "code" and c.get("execution_count") is not None)
    seconds = time.monotonic() - start
    export(nb, output_path(path, out_dir))
    status = "failed" if failure else "ok"
    print(f"{label:<44} {ran:>3}/{total:<3} cells {seconds:7.1f} s  {status}", flush=True)
    if failure:
        # Report the cell as the user sees it in the notebook: 1-based, without the injected cell.
        index = failure.index
        where = "the kernel"
        if index >= 0:
            shown = index - (1 if injected is not None and index > injected else 0)
            where = "injected parameters cell" if index == injected else f"cell {shown + 1}"
        print(f"  {label}: {where}: {failure.message}", file=sys.stderr, flush=True)
    return failure is None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="npm run notebooks --", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: all of notebooks/)")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--out", default=str(ROOT / "out" / "notebooks"), help="output folder")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    args = parser.parse_args(argv)
    try:
        notebooks = collect(args.paths)
        overrides = parse_overrides(args.parameter)
        if overrides:  # check every notebook's parameters before running any
            for path in notebooks:
                inject(nbformat.read(path, as_version=4), overrides, path.stem)
    except UsageError as e:
        print(f"npm run notebooks: {e}", file=sys.stderr)
        return 2
    ok = True
    for path in notebooks:
        ok = run_one(path, overrides, Path(args.out), args.timeout) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
