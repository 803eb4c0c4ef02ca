"""Every module of diary imports alone, and no two modules import each other.

A cycle among modules works or breaks by import order; a new engineer who imports the
"wrong" module first gets a half-initialised one. Both checks read the real code: the
import graph as import-linter's grimp sees it (type-checking imports left out, as they never
run), and each module imported in a fresh child process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import grimp

# Each module in a child forked from a parent that loaded only the third-party stacks (so
# a child pays for diary's modules alone, a few milliseconds each): what the child needs of
# diary, it must import itself.
ALONE = textwrap.dedent(
    """
    import os, sys, traceback
    import PySide6.QtWidgets, PySide6.QtGui, PySide6.QtPrintSupport, PySide6.QtSvg
    import sqlalchemy.orm, alembic, icalendar, babel.dates
    failed = []
    for module in sys.argv[1:]:
        pid = os.fork()
        if pid == 0:
            try:
                __import__(module)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            failed.append(module)
    print("failed:", " ".join(failed))
    """
)


# Alembic runs its environment script inside a migration context; it is not a module.
NOT_MODULES = {"diary.storage.migrations.env"}


def _modules() -> list[str]:
    graph = grimp.build_graph("diary", exclude_type_checking_imports=True)
    return sorted(graph.modules - NOT_MODULES)


def _cycles() -> list[list[str]]:
    """The strongly connected parts of diary's import graph with more than one module
    (Tarjan's algorithm, iterative)."""
    graph = grimp.build_graph("diary", exclude_type_checking_imports=True)
    edges = {
        m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n.startswith("diary"))
        for m in graph.modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, at = work.pop()
            if at == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if at < len(edges[node]):
                work.append((node, at + 1))
                nxt = edges[node][at]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_no_two_modules_import_each_other() -> None:
    assert _cycles() == []


def test_each_module_imports_alone() -> None:
    modules = _modules()
    assert len(modules) > 100  # the graph is the real package, not an empty one
    done = subprocess.run(
        [sys.executable, "-c", ALONE, *modules],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "failed:", done.stderr
