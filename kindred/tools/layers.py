"""The layering rules of the storage layer, checked on the source (AST), not by convention.

``python -m kindred.tools.layers`` exits 0 when all hold, else prints each breach (file:line)
and exits 1. ``tests/tools/test_layers.py`` runs it.

1. ``kindred.database`` imports nothing from ``kindred.server``, directly or through any module
   it imports (lazy imports inside functions included): opening a store must work on a base
   install, without the web server's packages.
2. No module outside the storage layer touches a connection: it imports no database driver
   (sqlite3, psycopg, sqlcipher3) and reads no connection attribute (``._db``, ``._conn``,
   ``._connection``) of another object.
3. No module outside the storage layer calls or reads a private member (``_name``) that a
   storage-layer class defines, on anything but itself: the domains use the public
   repository methods (``SQLStore.read``/``write``/``ensure_user``/``transaction``,
   ``Tables`` and the repositories on it, ``MemoryBook``'s methods).
4. One connection per database and process: only the engines and the handle registry
   (``OPENERS``) open one. Everywhere else, the storage layer's own modules included, a call to
   a driver's ``connect`` (``sqlite3.connect``, ``psycopg.connect``, however imported) or to an
   engine opener (``open_database``, ``connect_sqlite``, ``SQLiteDatabase(...)``, ...) is a
   breach: code asks ``kindred.database.handles`` (``acquire``/``held``, or ``Tables``) for the
   process's handle instead of opening one per call.
"""
from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../kindred

# The storage layer: the engines, migrations and schema, and the handles the domains open.
STORAGE_LAYER = ("kindred.database", "kindred.memory.sql_store", "kindred.memory.sqlite_store",
                 "kindred.server.db")
# Outside the layer but allowed a driver, each for its reason.
DRIVER_ALLOWED = {
    # Encrypting a file in place copies it page by page between a plain and a keyed connection;
    # it opens both through the layer's connect_sqlite, never a driver of its own.
    "kindred.privacy.migrate": "the encrypt/decrypt converter",
}
DRIVERS = ("sqlite3", "psycopg", "psycopg2", "sqlcipher3", "pysqlcipher3")
CONNECTION_ATTRIBUTES = {"_db", "_conn", "_connection"}
# The modules that open connections: the engines, and the registry that holds one handle per database.
OPENERS = ("kindred.database.engine", "kindred.database.sqlite", "kindred.database.postgres",
           "kindred.database.encryption", "kindred.database.handles")
# Outside OPENERS but allowed to open, each for its reason.
OPEN_ALLOWED = {
    "kindred.privacy.migrate": "the encrypt/decrypt converter copies the file between two connections of its own",
    "kindred.database.loopback_postgres": "the tests' and the load bench's own server: one admin statement "
                                          "(CREATE DATABASE, CREATE SCHEMA) before any Kindred database exists",
}
ENGINE_OPENERS = {"open_database", "connect_sqlite", "open_keyed", "SQLiteDatabase", "PostgresDatabase"}


@dataclass(frozen=True)
class Breach:
    path: Path
    line: int
    rule: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.what}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def in_layer(module: str) -> bool:
    return any(module == layer or module.startswith(layer + ".") for layer in STORAGE_LAYER)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, is_package: bool, tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every module an import statement names (anywhere in the file), with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node)
            yield target, node.lineno
            for alias in node.names:  # `from . import accounts` names a module
                yield f"{target}.{alias.name}", node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and _names_import_module(node.func):
            yield node.args[0].value, node.lineno  # importlib.import_module("kindred.server.schema")


def _names_import_module(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or \
        (isinstance(func, ast.Name) and func.id in {"import_module", "__import__"})


class Tree:
    """The package's modules, parsed once."""

    def __init__(self, root: Path = PACKAGE_ROOT) -> None:
        self.root = root
        self.files: dict[str, Path] = {}
        self.trees: dict[str, ast.AST] = {}
        for path in sorted(root.rglob("*.py")):
            name = module_name(path, root)
            self.files[name] = path
            self.trees[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def kindred_imports(self, module: str) -> Iterator[tuple[str, int]]:
        is_package = self.files[module].name == "__init__.py"
        for target, line in imports_of(module, is_package, self.trees[module]):
            # Importing a.b.c runs a, a.b and a.b.c: each package's __init__ counts.
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in self.files:
                    yield prefix, line


def _database_reaches_server(tree: Tree) -> Iterator[Breach]:
    start = [name for name in tree.files if name == "kindred.database" or name.startswith("kindred.database.")]
    seen: dict[str, tuple[str, int]] = {name: ("", 0) for name in start}
    queue = list(start)
    while queue:
        module = queue.pop()
        edges = list(tree.kindred_imports(module))
        if module.startswith("kindred.database"):  # a registry by name: SCHEMA_MODULES = ["kindred.server.schema"]
            edges += [(node.value, node.lineno) for node in ast.walk(tree.trees[module])
                      if isinstance(node, ast.Constant) and node.value in tree.files]
        for target, line in edges:
            if target not in seen:
                seen[target] = (module, line)
                queue.append(target)
    reported: set[tuple[str, int]] = set()
    for name, (via, line) in sorted(seen.items()):
        if (name == "kindred.server" or name.startswith("kindred.server.")) and (via, line) not in reported:
            reported.add((via, line))  # one breach per import, not one per package it runs
            chain, step = [name], via
            while step:
                chain.append(step)
                step = seen[step][0]
            yield Breach(tree.files[via], line, "database-imports-server", " <- ".join(chain))


def _private_members(tree: Tree) -> set[str]:
    """Private names the storage layer's classes define: their methods and their ``self._x`` attributes."""
    found: set[str] = set()
    for name, parsed in tree.trees.items():
        if not in_layer(name):
            continue
        for cls in (n for n in ast.walk(parsed) if isinstance(n, ast.ClassDef)):
            for node in ast.walk(cls):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("_") \
                        and not node.name.startswith("__"):
                    found.add(node.name)
                elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id == "self" and node.attr.startswith("_") and not node.attr.startswith("__"):
                    found.add(node.attr)
    return found


def _is_own(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"self", "cls"}


def _outside_reaches(tree: Tree) -> Iterator[Breach]:
    private = _private_members(tree)
    for name, parsed in tree.trees.items():
        if in_layer(name):
            continue
        path = tree.files[name]
        if name not in DRIVER_ALLOWED:
            for target, line in imports_of(name, path.name == "__init__.py", parsed):
                if target.split(".")[0] in DRIVERS:
                    yield Breach(path, line, "driver-outside-storage", f"imports {target}")
        for node in ast.walk(parsed):
            if not isinstance(node, ast.Attribute) or _is_own(node.value):
                continue
            if node.attr in CONNECTION_ATTRIBUTES:
                yield Breach(path, node.lineno, "connection-outside-storage", f"reads .{node.attr}")
            elif node.attr in private:
                yield Breach(path, node.lineno, "private-store-member", f"reaches .{node.attr}")


def _driver_names(parsed: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to a driver module (``import sqlite3 as s``: s) and to its ``connect`` (``from psycopg
    import connect as c``: c) in one module."""
    modules: set[str] = set()
    connects: set[str] = set()
    for node in ast.walk(parsed):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in DRIVERS:
                    modules.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in DRIVERS:
            for alias in node.names:
                (connects if alias.name == "connect" else modules).add(alias.asname or alias.name)
    return modules, connects


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _opens_connection(call: ast.Call, modules: set[str], connects: set[str]) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in ENGINE_OPENERS:
        return f"calls {name}"
    if isinstance(func, ast.Name) and func.id in connects:
        return f"calls a driver's connect ({func.id})"
    if isinstance(func, ast.Attribute) and func.attr == "connect" and _root_name(func.value) in modules:
        return f"calls {_root_name(func.value)}…connect"
    return None


def _connections_opened(tree: Tree) -> Iterator[Breach]:
    for name, parsed in tree.trees.items():
        if name in OPENERS or name in OPEN_ALLOWED:
            continue
        modules, connects = _driver_names(parsed)
        for node in ast.walk(parsed):
            if isinstance(node, ast.Call):
                what = _opens_connection(node, modules, connects)
                if what:
                    yield Breach(tree.files[name], node.lineno, "connection-opened-per-call",
                                 f"{what}: use the process's handle (kindred.database.handles)")


def check(root: Path = PACKAGE_ROOT) -> list[Breach]:
    tree = Tree(root)
    return sorted([*_database_reaches_server(tree), *_outside_reaches(tree), *_connections_opened(tree)],
                  key=lambda b: (str(b.path), b.line, b.rule))


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]).resolve() if args else PACKAGE_ROOT
    breaches = check(root)
    for breach in breaches:
        print(breach)
    if breaches:
        print(f"{len(breaches)} layering breach(es); see kindred/tools/layers.py for the rules.")
        return 1
    print("layers: the storage layer's rules hold.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
