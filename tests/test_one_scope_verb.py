"""Guard: "whole city or this user's area" has one spelling, `for_user(user, action)`
(tpps/roles.py). The old spellings must not come back in the application code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("tpps", "balita", "konvergensi", "genting", "rekomendasi", "laporan", "kasus", "panduan", "sasaran", "ibuhamil")
OLD = re.compile(r"\b(editable_by|editable_kelurahan_ids|verifiable_by|scope_ids)\b|\bpolicy\.(scoped|editable)\b")


def test_no_other_spelling_of_scope_remains():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OLD.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "use Model.objects.for_user(user, action) instead:\n" + "\n".join(found)
