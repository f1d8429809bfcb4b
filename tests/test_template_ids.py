"""Ids in forms and links are never localised: with USE_THOUSAND_SEPARATOR (Indonesian "1.234")
a bare {{ obj.pk }} renders record 1234 as "1.234", which the server then cannot read (found when
a data-quality mark posted anak=1.234 after the ids passed 999)."""

import re
from pathlib import Path

from django.template import Context, Template

ROOT = Path(__file__).resolve().parent.parent
BARE_ID = re.compile(r'(=|value=")\{\{ ?[a-z_.0-9]*(\.pk|\.id|_id|\bid)(\.[0-9])? ?\}\}')


def test_no_bare_id_in_a_form_value_or_query_string():
    found = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted((ROOT / "templates").glob("**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if BARE_ID.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, "write ids as {{ x.pk|stringformat:'d' }}: " + ", ".join(found)


def test_stringformat_keeps_large_ids_readable():
    assert Template('{{ n }}').render(Context({"n": 1234})) == "1.234"  # why the rule exists
    assert Template('{{ n|stringformat:"d" }}').render(Context({"n": 1234})) == "1234"
