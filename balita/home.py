"""balita's tiles on the Beranda (tpps.beranda): imports waiting for the user's decision, and for
an operator wilayah the under-fives of its area not yet measured in the dashboard's month; every
figure from balita's selectors and read model."""

from django.urls import reverse

from balita import figures, selectors
from tpps.beranda import Ubin
from tpps.formatting import angka
from tpps.roles import Role, access_for


def tiles(user) -> list[Ubin]:
    access = access_for(user)
    result = []
    if access.can_edit_area_data:
        pending = selectors.pending_imports(user)
        result += [
            Ubin("impor_menunggu", "Impor menunggu keputusan", angka(pending["batch"]),
                 "Berkas e-PPGBM yang sudah diperiksa dan menunggu Anda simpan atau batalkan.",
                 reverse("balita:impor"), urutan=10, penting=bool(pending["batch"])),
            Ubin("tinjauan_identitas", "Identitas anak perlu ditinjau", angka(pending["tinjauan"]),
                 "Anak di berkas impor yang bertabrakan dengan anak terdaftar: putuskan sama atau berbeda.",
                 reverse("balita:impor"), urutan=11, penting=bool(pending["tinjauan"])),
        ]
    if access.has(Role.WILAYAH):
        periode = figures.default_period(user)
        if periode is not None:
            now = figures.figures(user, periode)
            result.append(Ubin(
                "belum_diukur", f"Belum diukur {periode.label}", angka(max(now.sasaran - now.diukur, 0)),
                f"Balita di wilayah Anda yang belum ditimbang dan diukur pada {periode.label} "
                f"({angka(now.diukur)} dari {angka(now.sasaran)} sudah).",
                reverse("balita:index"), urutan=20, penting=now.sasaran > now.diukur))
    return result
