"""laporan's tiles on the Beranda (tpps.beranda): the dashboard's headline figures — balita
stunting, prevalence, coverage — of the dashboard's default period for the user's area, each with
its change since the previous period. Read from `selectors.dashboard`, the dashboard's own read,
so the Beranda and the dashboard always show the same numbers."""

from django.template.loader import render_to_string
from django.urls import reverse

from laporan import selectors
from tpps.beranda import ANGKA, Ubin
from tpps.formatting import angka, persen
from tpps.roles import access_for


def _change(p, lalu, **options) -> str:
    """The dashboard's own words for a change ("▼ turun 0,31 poin persen sejak Oktober 2025")."""
    return render_to_string("laporan/_perubahan.html", {"p": p, "lalu": lalu, **options})


def tiles(user) -> list[Ubin]:
    if not access_for(user).is_anyone:
        return []
    periode = selectors.latest_period(user)
    if periode is None:
        return []
    d = selectors.dashboard(user, periode)
    now = d.sekarang
    where = selectors.area_name(user)
    link = reverse("laporan:index") + f"?tahun={periode.tahun}&periode={periode.kode}"
    note = f" {now.catatan_data}" if now.catatan_data else ""
    target = (f"; target {persen(d.target.target_prevalensi)}" if d.target else "")
    return [
        Ubin("stunting", "Balita stunting", angka(now.stunting),
             f"{where}, {periode.label}: pengukuran terakhir tiap anak, sangat pendek {angka(now.sangat_pendek)}.{note}",
             link, bagian=ANGKA, urutan=100, perubahan=_change(d.perubahan_stunting, d.sebelumnya, satuan="")),
        Ubin("prevalensi", "Prevalensi stunting", persen(now.prevalensi, 2),
             f"{angka(now.stunting)} dari {angka(now.tbu_valid)} balita dengan TB/U valid{target}.",
             link, bagian=ANGKA, urutan=101,
             perubahan=_change(d.perubahan_prevalensi, d.sebelumnya, satuan=" poin persen", desimal=2)),
        Ubin("cakupan", "Cakupan pengukuran", persen(now.cakupan),
             f"{angka(now.diukur)} balita diukur dari {angka(now.sasaran)} balita terdaftar.",
             link, bagian=ANGKA, urutan=102,
             perubahan=_change(d.perubahan_cakupan, d.sebelumnya, satuan=" poin persen", naik_baik=True)),
    ]
