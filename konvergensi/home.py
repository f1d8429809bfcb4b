"""konvergensi's tiles on the Beranda (tpps.beranda): evidence waiting for the secretariat's
verification, and for an OPD its indicators of the year not ready to present (no capaian yet, or
a missed target without kendala and upaya: `selectors.indicator_ready`)."""

from django.urls import reverse

from konvergensi import selectors
from konvergensi.models import StatusVerifikasi
from tpps.beranda import Ubin
from tpps.formatting import angka
from tpps.roles import Role, access_for


def tiles(user) -> list[Ubin]:
    access = access_for(user)
    result = []
    if access.can_verify:
        waiting = selectors.verification_counts(user)[StatusVerifikasi.MENUNGGU]
        result.append(Ubin(
            "bukti_menunggu", "Bukti menunggu verifikasi", angka(waiting),
            "Dokumen bukti aksi konvergensi yang diunggah OPD dan belum Anda terima atau kembalikan.",
            reverse("konvergensi:verifikasi"), urutan=12, penting=bool(waiting)))
    if access.has(Role.OPD) and access.opd_ids:
        tahun = selectors.default_year()
        own = [r for r in selectors.indicator_results(tahun, user=user) if r["opd_id"] in access.opd_ids]
        not_ready = [r for r in own if not selectors.indicator_ready(r)]
        no_capaian = sum(1 for r in not_ready if r["capaian"] is None)
        no_reason = len(not_ready) - no_capaian
        link = reverse("konvergensi:indikator") + f"?tahun={tahun}"
        result += [
            Ubin("indikator_tanpa_capaian", f"Indikator tanpa capaian {tahun}", angka(no_capaian),
                 f"Indikator OPD Anda yang belum diisi capaiannya ({angka(len(own))} indikator seluruhnya).",
                 link, urutan=30, penting=bool(no_capaian)),
            Ubin("indikator_tanpa_kendala", f"Kendala dan upaya belum diisi {tahun}", angka(no_reason),
                 "Indikator OPD Anda yang belum mencapai target tetapi kendala atau upayanya masih kosong.",
                 link, urutan=31, penting=bool(no_reason)),
        ]
    return result
