"""The stages import one way: each package's docstring says which packages it may import
(the leaf modules, ``errors``, ``files``, ``codes``..., any may), the leaves import no package,
and no module imports itself back through others (no import circle)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "datapakke"
ROOT = "datapakke"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def unit(module: str) -> str:
    """The package or leaf module a module belongs to (``engine``, ``errors``...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Project modules named by one import statement (relative imports resolved)."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names if a.name.split(".")[0] == ROOT)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".")
            base = base if is_package else base[:-1]
            base = base[: len(base) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        if target.split(".")[0] == ROOT:
            # ``from datapakke.pack import model`` imports the submodule if there is one.
            yield target
            yield from (f"{target}.{a.name}" for a in node.names)


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, module: str, *, top_level_only: bool) -> set[str]:
    """Project modules a file imports: everywhere, or only when it is imported itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(m for m in imported(node, module, is_package) if m in known)
            elif isinstance(node, ast.If) and is_type_checking(node):
                continue  # annotations only: not an import at run time
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for block in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, block, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])
            elif not top_level_only:
                visit([n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)])

    visit(tree.body)
    found.discard(module)
    return found


def allowed_units(package: str) -> set[str]:
    """The packages a package's docstring lets it import, itself included."""
    doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text("utf-8"))) or ""
    match = re.search(r"May import:\s*(.+?)\.(?:\s|$)", doc, re.S)
    assert match, f"datapakke.{package}'s docstring says what it may import ('May import: ...')"
    rule = " ".join(match.group(1).split())
    everything = {unit(m) for m in modules()} - {""}
    if rule.startswith("everything"):
        but = re.findall(r"\w+", rule.removeprefix("everything").replace(" and ", " "))
        return (everything - set(but) - {"but"}) | {package}
    return {name.strip().split(".")[0] for name in rule.split(",")} | {package}


LEAVES = {unit(m) for m, p in modules().items() if p.parent == SRC} - {"", "__main__"}
PACKAGES = sorted({unit(m) for m, p in modules().items() if p.name == "__init__.py"} - {""})


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_its_docstring_allows(package: str) -> None:
    allowed = allowed_units(package) | LEAVES
    wrong = sorted(
        f"{module} imports {target}"
        for module, path in modules().items()
        if unit(module) == package
        for target in imports_of(path, module, top_level_only=False)
        if unit(target) not in allowed | {""}
    )
    assert not wrong, "\n".join(wrong)


def test_the_leaf_modules_import_no_package() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, path in modules().items()
        if unit(module) in LEAVES
        for target in imports_of(path, module, top_level_only=False)
        if unit(target) not in LEAVES
    )
    assert not wrong, "\n".join(wrong)


def test_no_import_circle() -> None:
    graph = {
        module: imports_of(path, module, top_level_only=True) for module, path in modules().items()
    }
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                walk(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not circles, "\n".join(" -> ".join(c) for c in circles)
