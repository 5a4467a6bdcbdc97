"""Meta-tests: every module has a test file (tests mirror the package)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXEMPT = {"__init__.py", "__main__.py"}


def test_layout_every_module_has_a_test_file() -> None:
    missing = []
    for module in sorted((ROOT / "voc").rglob("*.py")):
        if module.name in EXEMPT:
            continue
        relative = module.relative_to(ROOT / "voc")
        expected = ROOT / "tests" / relative.parent / f"test_{module.stem}.py"
        if not expected.exists():
            missing.append(f"{relative} → {expected.relative_to(ROOT)}")
    assert not missing, "modules without tests:\n" + "\n".join(missing)


def test_layout_every_package_is_installed_by_pyproject() -> None:
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "voc").rglob("__init__.py")}
    assert found | {"voc_corpora"} == listed
