"""The donor statement (PDF via WeasyPrint) for one foster parent: what came in and where it went.

Families appear by code and kelurahan only: the statement leaves the office, names do not.
"""

from collections import defaultdict

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from genting import selectors
from tpps.roles import access_for


def statement_context(ota, user) -> dict:
    rows = selectors.donor_attribution(ota)
    standing = [row for row in rows if not row["dibatalkan"]]
    families = defaultdict(lambda: {"total": 0, "jenis": set(), "keluarga": None})
    for row in standing:
        for penyaluran, amount in row["tersalur"]:
            entry = families[penyaluran.keluarga_id]
            entry["keluarga"] = penyaluran.keluarga
            entry["total"] += amount
            entry["jenis"].add(penyaluran.get_jenis_display())
    family_rows = sorted(families.values(), key=lambda e: e["keluarga"].kode)
    for entry in family_rows:
        entry["jenis"] = ", ".join(sorted(entry["jenis"]))
    return {
        "ota": ota,
        "access": access_for(user),
        "rows": rows,
        "given": selectors.given_by_channel(ota),
        "total_diberikan": sum(row["donasi"].jumlah for row in standing),
        "total_tersalur": sum(amount for row in standing for _, amount in row["tersalur"]),
        "total_sisa": sum(row["sisa"] for row in standing),
        "families": family_rows,
        "dibuat": timezone.localtime(),
        "dibuat_oleh": user,
    }


def render_statement(ota, user) -> bytes:
    html = render_to_string("genting/statement_pdf.html", statement_context(ota, user))
    return HTML(string=html).write_pdf()
