"""Ranking: the 38 kab/kota, entry by form and by upload with row errors, gaps and history."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laporan import demo, ranking
from laporan.models import KabKota, NilaiKabKota, Penilaian
from tpps import xlsx


def csv_upload(text, name="nilai.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, name="nilai.xlsx"):
    content = xlsx.table_bytes(rows[0], rows[1:])
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
def test_reference_list_of_jawa_timur():
    assert KabKota.objects.count() == 38
    assert KabKota.objects.filter(jenis="kabupaten").count() == 29
    kota = set(KabKota.objects.filter(jenis="kota").values_list("nama", flat=True))
    assert kota == {"Kediri", "Blitar", "Malang", "Probolinggo", "Pasuruan", "Mojokerto", "Madiun", "Surabaya", "Batu"}
    assert str(KabKota.objects.get(kode="35.71")) == "Kota Kediri"
    assert str(KabKota.objects.get(kode="35.06")) == "Kabupaten Kediri"
    assert str(KabKota.objects.get(kode="35.29")) == "Kabupaten Sumenep"


@pytest.mark.django_db
def test_demo_2025_position_and_gaps():
    demo.load_ranking()
    own = ranking.own_kab_kota()
    rows = ranking.table(ranking.assessment(2025), own.id)
    assert len(rows) == 38
    by_name = {r["nama"]: r for r in rows}
    assert (by_name["Kota Kediri"]["peringkat"], by_name["Kota Kediri"]["skor"]) == (7, Decimal("129"))
    assert (by_name["Kota Mojokerto"]["peringkat"], by_name["Kota Mojokerto"]["skor"]) == (1, Decimal("132"))
    assert by_name["Kabupaten Jombang"]["peringkat"] == 5 and by_name["Kabupaten Jombang"]["skor"] == 130
    assert by_name["Kabupaten Bojonegoro"]["peringkat"] == 9 and by_name["Kabupaten Bojonegoro"]["skor"] == 129
    position = ranking.position(rows)
    assert position["selisih_puncak"] == 3
    assert position["selisih_atas"] == position["di_atas"]["skor"] - Decimal(129)
    assert "Kabupaten Bojonegoro" in [r["nama"] for r in position["sama_skor"]]
    history = ranking.history(own.id)
    assert [(h["tahun"], h["peringkat"]) for h in history][0] == (2023, 2)
    assert history[-1]["peringkat"] == 7 and history[-1]["peserta"] == 38 and history[-1]["puncak"] == 132


@pytest.mark.django_db
def test_ranking_page_highlights_our_city(client_for, users):
    demo.load_ranking()
    response = client_for(users["pimpinan"]).get(reverse("laporan:peringkat"), {"tahun": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="sendiri" aria-current="true"><td class="num">7</td><td>Kota Kediri</td>' in html
    assert 'id="peringkat-sendiri">#7<' in html
    assert "Isi/ubah nilai" not in html  # Pimpinan reads only
    assert client_for(users["pimpinan"]).get(reverse("laporan:peringkat_isi")).status_code == 403


@pytest.mark.django_db
def test_upload_with_bad_rows_saves_nothing_and_names_rows(client_for, users):
    text = (
        "Kab/Kota;Skor;Peringkat\n"
        "Kota Mojokerto;132;1\n"
        "Kediri;130;2\n"              # ambiguous: Kabupaten or Kota
        "Kab. Atlantis;129;3\n"       # unknown
        "Kabupaten Jombang;abc;4\n"   # score not a number
        "Kota Kediri;129;1\n"         # rank already used
        "3522;129,5;5\n"              # Bojonegoro by code, better score than rank 4? (rank 4 invalid)
        "Kota Malang;128;x\n"         # rank not a number
        "Kota Mojokerto;120;6\n"      # duplicate kab/kota
    )
    response = client_for(users["operator"]).post(
        reverse("laporan:peringkat_unggah"), {"tahun": 2025, "berkas": csv_upload(text)}
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    joined = "\n".join(str(e) for e in errors)  # UserErrors, shown with their row
    assert "Baris 3: 'Kediri' ambigu: tulis 'Kabupaten Kediri' atau 'Kota Kediri'." in joined
    assert "Baris 4: 'Kab. Atlantis' tidak dikenal sebagai kab/kota di Jawa Timur." in joined
    assert "Baris 5: skor 'abc' bukan angka." in joined
    assert "Baris 6: peringkat 1 sudah dipakai baris 2 (Kota Mojokerto)." in joined
    assert "Baris 8: peringkat 'x' harus bilangan bulat 1–38." in joined
    assert "Baris 9: Kota Mojokerto sudah ada di baris 2" in joined
    assert Penilaian.objects.count() == 0 and NilaiKabKota.objects.count() == 0
    assert "Berkas belum disimpan" in response.content.decode()


@pytest.mark.django_db
def test_upload_rejects_better_rank_with_lower_score(client_for, users):
    text = "Kab/Kota,Skor,Peringkat\nKota Mojokerto,120,1\nKota Kediri,129,2\n"
    response = client_for(users["operator"]).post(reverse("laporan:peringkat_unggah"), {"tahun": 2025, "berkas": csv_upload(text)})
    assert response.status_code == 200
    assert any(str(e).startswith("Baris 3: peringkat 2 (Kota Kediri, skor 129)") for e in response.context["errors"])


@pytest.mark.django_db
def test_upload_xlsx_with_ties_saves(client_for, users):
    rows = [["Peringkat", "Kab/Kota", "Nilai"], [1, "Kota Mojokerto", 132], [2, "Kota Kediri", 129],
            [3, "35.22", 129], [None, None, None], [4, "kab jombang", 128.5]]
    response = client_for(users["operator"]).post(
        reverse("laporan:peringkat_unggah"), {"tahun": 2026, "berkas": xlsx_upload(rows)}, follow=True
    )
    assert response.status_code == 200
    saved = {n.kab_kota.kode: (n.peringkat, n.skor) for n in NilaiKabKota.objects.filter(penilaian__tahun=2026)}
    assert saved == {"35.76": (1, Decimal("132")), "35.71": (2, Decimal("129")), "35.22": (3, Decimal("129")),
                     "35.17": (4, Decimal("128.5"))}
    messages = [str(m) for m in response.context["messages"]]
    assert any("Baru 4 dari 38 kab/kota" in m for m in messages)


@pytest.mark.django_db
def test_upload_rejects_other_file_types_and_missing_columns(client_for, users):
    client = client_for(users["operator"])
    png = SimpleUploadedFile("nilai.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client.post(reverse("laporan:peringkat_unggah"), {"tahun": 2025, "berkas": png})
    assert "Berkas yang hanya diganti ekstensinya tidak diterima" in response.content.decode()
    response = client.post(reverse("laporan:peringkat_unggah"), {"tahun": 2025, "berkas": csv_upload("Nama,Total\nKota Kediri,1\n")})
    assert "Kolom tidak ditemukan: Peringkat" in response.content.decode()


@pytest.mark.django_db
def test_entry_form_saves_scores_and_components(client_for, users):
    client = client_for(users["admin"])
    page = client.get(reverse("laporan:peringkat_isi"), {"tahun": 2024})
    formset = page.context["formset"]
    assert len(formset.forms) == 38
    data = {"tahun": 2024, "keterangan": "Uji", "skor_maksimum": "100",
            "nilai-TOTAL_FORMS": 38, "nilai-INITIAL_FORMS": 38,
            "komponen-TOTAL_FORMS": 2, "komponen-INITIAL_FORMS": 0}
    codes = {k.id: k.kode for k in KabKota.objects.all()}
    for i, form in enumerate(formset.forms):
        kab_id = form.initial["kab_kota"]
        data[f"nilai-{i}-kab_kota"] = kab_id
        if codes[kab_id] == "35.71":
            data[f"nilai-{i}-skor"], data[f"nilai-{i}-peringkat"] = "91,5", "2"
        elif codes[kab_id] == "35.78":
            data[f"nilai-{i}-skor"], data[f"nilai-{i}-peringkat"] = "93", "1"
    data.update({"komponen-0-nama": "Pelaporan delapan aksi konvergensi", "komponen-0-bobot": "30", "komponen-0-skor": "27.5"})
    response = client.post(reverse("laporan:peringkat_isi") + "?tahun=2024", data)
    assert response.status_code == 302
    penilaian = Penilaian.objects.get(tahun=2024)
    assert {(n.kab_kota.kode, n.peringkat, n.skor) for n in penilaian.nilai.all()} == {
        ("35.71", 2, Decimal("91.5")), ("35.78", 1, Decimal("93"))}
    assert [(k.nama, k.bobot) for k in penilaian.komponen.all()] == [("Pelaporan delapan aksi konvergensi", Decimal("30"))]
    # A bad line comes back with the kab/kota named, nothing replaced.
    data["nilai-0-skor"], data["nilai-0-peringkat"] = "zz", "3"
    response = client.post(reverse("laporan:peringkat_isi"), data)
    assert response.status_code == 200
    assert any(str(e).startswith(f"{KabKota.objects.get(id=data['nilai-0-kab_kota']).singkat}: skor 'zz' bukan angka")
               for e in response.context["errors"])
    assert penilaian.nilai.count() == 2
