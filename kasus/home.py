"""kasus' tiles on the Beranda (tpps.beranda): for those who follow the children up (Admin,
Operator DP3AP2KB, operator wilayah in its area), the open cases due and overdue for their next
measurement — the sums of the follow-up list (`selectors.follow_up`), never counted again."""

from django.urls import reverse

from kasus import rules, selectors
from tpps.beranda import Ubin
from tpps.formatting import angka, tanggal
from tpps.roles import access_for


def tiles(user) -> list[Ubin]:
    if not access_for(user).can_edit_area_data:
        return []
    on = selectors.as_of()
    totals = selectors.follow_up_totals(selectors.follow_up(user, on, "kelurahan"))
    per = f"Keadaan per {tanggal(on)}."
    return [
        Ubin("kasus_jatuh_tempo", "Kasus jatuh tempo diukur ulang", angka(totals["jatuh_tempo"]),
             f"Anak dengan kasus gizi terbuka yang harus diukur ulang dalam {rules.soon_days()} hari. {per}",
             reverse("kasus:index") + "?tempo=jatuh_tempo", urutan=21),
        Ubin("kasus_terlambat", "Kasus terlambat diukur ulang", angka(totals["terlambat"]),
             f"Anak dengan kasus gizi terbuka yang jadwal ukur ulangnya sudah lewat. {per}",
             reverse("kasus:index") + "?tempo=terlambat", urutan=22, penting=bool(totals["terlambat"])),
        Ubin("kasus_tidak_terukur", "Kasus tidak terukur ulang", angka(totals["tidak_terukur"]),
             f"Kasus tanpa pengukuran lebih dari {rules.lost_days()} hari: cari anaknya. {per}",
             reverse("kasus:tindak_lanjut"), urutan=23, penting=bool(totals["tidak_terukur"])),
    ]
