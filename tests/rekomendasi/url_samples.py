"""Real objects for the permission walk (tests/test_url_walk.py) over rekomendasi's URLs."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from rekomendasi import services
from tests.konvergensi.files import pdf_bytes
from tests.rekomendasi.conftest import make_inovasi, make_rekomendasi
from tests.url_samples import sample
from tpps.roles import SYSTEM


@sample("rekomendasi:detail")
@sample("rekomendasi:ubah")
@sample("rekomendasi:hapus")
@sample("rekomendasi:tindak_lanjut")
@sample("rekomendasi:dokumen_unduh")
def recommendation_kwargs(users):
    rekomendasi = make_rekomendasi(dokumen=SimpleUploadedFile("hasil-penilaian.pdf", pdf_bytes("Hasil penilaian")))
    return {"pk": rekomendasi.pk}


@sample("rekomendasi:tindak_lanjut_hapus")
@sample("rekomendasi:tindak_lanjut_unduh")
def follow_up_kwargs(users):
    rekomendasi = make_rekomendasi()
    tindak = services.record_follow_up(
        rekomendasi, rekomendasi.opd.get(), {"uraian": "Dikerjakan", "tanggal": datetime.date(2025, 8, 1)},
        SimpleUploadedFile("bukti.pdf", pdf_bytes("Bukti")), user=SYSTEM)
    return {"pk": tindak.pk}


@sample("rekomendasi:inovasi_detail")
@sample("rekomendasi:inovasi_ubah")
@sample("rekomendasi:inovasi_hapus")
@sample("rekomendasi:inovasi_unduh")
@sample("rekomendasi:mitra_tambah")
def innovation_kwargs(users):
    return {"pk": make_inovasi().pk}


@sample("rekomendasi:mitra_hapus")
def partner_kwargs(users):
    return {"pk": services.add_partner(make_inovasi(), "IDAI Cabang Kediri", "masyarakat", user=SYSTEM).pk}
