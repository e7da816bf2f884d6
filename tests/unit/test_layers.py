"""DESIGN.md section 2 as checks of the source: views hold no SQL beyond a lookup by key, and no
view imports another view (import-linter's contracts in .importlinter check the rest)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEWS = sorted(p for p in (ROOT / "intranet").rglob("*.py") if p.name in ("views.py", "token_views.py", "review.py"))
SQL = re.compile(r"\bselect\(|\.execute\(|\.scalars?\(")
VIEW_IMPORT = re.compile(r"^\s*from intranet\.\w+\.(?:views|token_views) import|^\s*import intranet\.\w+\.views", re.M)


def test_the_views_are_found():
    assert len(VIEWS) >= 12


def test_views_hold_no_sql():
    found = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in VIEWS
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert found == []


def test_no_view_imports_another_view():
    found = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}" for p in VIEWS for m in VIEW_IMPORT.finditer(p.read_text())]
    assert found == []
