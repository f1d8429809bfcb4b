"""The demo: the province's 2025 recommendations and weak points as listed in issue 16."""

import pytest

from konvergensi import demo as konvergensi_demo
from rekomendasi import demo, selectors
from rekomendasi.models import Inovasi, Rekomendasi, TindakLanjut
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


def test_demo_loads_the_2025_recommendations_once():
    result = demo.load()
    assert result == {"rekomendasi": 12, "tindak_lanjut": 4, "inovasi": 3}
    titles = set(Rekomendasi.objects.filter(tahun=2025, jenis="rekomendasi").values_list("judul", flat=True))
    assert {"Strategi berbasis data yang valid dan terintegrasi", "Konsistensi program TPPS dalam dokumen perencanaan (RPJMD/RKPD)",
            "Penguatan tata laksana gizi (manajemen kasus)", "Perluasan sasaran intervensi",
            "Inovasi baru yang melibatkan masyarakat"} == titles
    weak = set(Rekomendasi.objects.filter(jenis="kelemahan").values_list("judul", flat=True))
    assert {"Prevalensi stunting", "Cakupan ASI eksklusif", "Kehamilan tidak diinginkan (KTD)", "Validitas data",
            "Konsistensi perencanaan", "Inovasi gizi", "Kolaborasi lintas sektor"} == weak
    assert Rekomendasi.objects.get(judul="Cakupan ASI eksklusif").indikator.get().kode == "asi-eksklusif"
    assert demo.load() is None and Rekomendasi.objects.count() == 12 and TindakLanjut.objects.count() == 4
    assert Inovasi.objects.get(nama="Dokter spesialis anak di setiap puskesmas").mitra.count() == 2
    counts = selectors.counts(selectors.recommendations(SYSTEM))
    assert counts["belum"] > 0 and counts["berjalan"] > 0


def test_demo_links_the_konvergensi_plan_and_evidence():
    konvergensi_demo.load()
    demo.load()
    rkpd = Rekomendasi.objects.get(judul="Konsistensi program TPPS dalam dokumen perencanaan (RPJMD/RKPD)")
    assert [k.nama for k in rkpd.kegiatan.all()] == ["Analisis situasi dan reviu kinerja konvergensi stunting"]
    assert rkpd.kegiatan.get().tahun == 2025 and rkpd.bukti.count() == 1
    row = next(r for r in selectors.recommendations(SYSTEM) if r["id"] == rkpd.id)
    # Bappeda's follow-up is done and the activity realised; the status then rests on the evidence.
    assert row["status"] in ("berjalan", "selesai") and "Bappeda" not in " ".join(row["kurang"])
