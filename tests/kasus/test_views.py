"""Pages of tata laksana gizi as each role: scope, masking, recording steps and interventions by
whoever gave them, GENTING help read from the ledger, follow-up counts and cohorts checked against
counts made in the test."""

import datetime
import io
import statistics

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from genting.models import AnggotaKeluarga, JenisAkun, Kanal, KeluargaRisikoStunting, OrangTuaAsuh
from genting import services as genting_services
from kasus import rules, selectors, services
from kasus.models import Intervensi, Kasus, Langkah
from tests.balita.conftest import make_anak
from tests.factories import kelurahan
from tests.kasus.helpers import measure_z, stunted_child
from tpps.models import AksesData, JejakAudit, Opd
from tpps.roles import SYSTEM

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def two_areas(users):
    inside, case_in = stunted_child("Pesantren", nama="Putri Pesantren", months=[D(2025, 3, 5)])
    outside, case_out = stunted_child("Betet", nama="Putri Betet", months=[D(2025, 3, 6)], posyandu="Mawar")
    return case_in, case_out


def test_case_list_scope_and_masking_per_role(client_for, users, two_areas):
    case_in, case_out = two_areas
    for role, visible, names in (("admin", {case_in, case_out}, True), ("operator", {case_in, case_out}, True),
                                 ("wilayah", {case_in}, True), ("pimpinan", {case_in, case_out}, False),
                                 ("opd", {case_in, case_out}, False)):
        response = client_for(users[role]).get(reverse("kasus:index"))
        assert response.status_code == 200, role
        listed = {k.pk for k in response.context["page"].rows}
        assert listed == {k.pk for k in visible}, role
        html = response.content.decode()
        assert ("Putri Pesantren" in html) == names, role
        if not names:
            assert "P*** P***" in html
    assert client_for(users["outsider"]).get(reverse("kasus:index")).status_code == 403


def test_listing_names_is_recorded_as_a_read(client_for, users, two_areas):
    client_for(users["admin"]).get(reverse("kasus:index"))
    read = AksesData.objects.get(model="kasus.Kasus")
    assert read.jumlah == 2 and read.pengguna == users["admin"]


def test_wilayah_records_a_check_and_a_referral_in_its_area_only(client_for, users, two_areas):
    case_in, case_out = two_areas
    client = client_for(users["wilayah"])
    response = client.post(reverse("kasus:langkah_create", args=[case_in.pk]),
                           {"langkah-tahap": "periksa_puskesmas", "langkah-tanggal": "2025-03-10", "langkah-hasil": "terkonfirmasi"})
    assert response.status_code == 302
    client.post(reverse("kasus:langkah_create", args=[case_in.pk]),
                {"langkah-tahap": "rujukan_dsa", "langkah-tanggal": "2025-03-12", "langkah-hasil": "dirujuk", "langkah-catatan": "RSUD Gambiran"})
    steps = list(Langkah.objects.filter(kasus=case_in).values_list("tahap", "hasil", "dicatat_oleh"))
    assert steps == [("periksa_puskesmas", "terkonfirmasi", users["wilayah"].pk),
                     ("rujukan_dsa", "dirujuk", users["wilayah"].pk)]
    page = client.get(reverse("kasus:detail", args=[case_in.pk])).content.decode()
    assert "RSUD Gambiran" in page and "Dirujuk" in page
    assert client.post(reverse("kasus:langkah_create", args=[case_out.pk]),
                       {"langkah-tahap": "periksa_puskesmas", "langkah-tanggal": "2025-03-10", "langkah-hasil": "terkonfirmasi"}).status_code == 404
    assert client_for(users["opd"]).post(reverse("kasus:langkah_create", args=[case_in.pk]), {}).status_code == 403
    # The change is in the audit trail, by database trigger.
    assert JejakAudit.objects.filter(model="kasus.Langkah", aksi="tambah").count() == 2


def test_a_wrong_result_for_the_step_is_refused_in_indonesian(client_for, users, two_areas):
    case_in, _ = two_areas
    response = client_for(users["admin"]).post(reverse("kasus:langkah_create", args=[case_in.pk]),
                                               {"langkah-tahap": "periksa_puskesmas", "langkah-tanggal": "2025-03-10", "langkah-hasil": "bukan_stunting"})
    assert response.status_code == 200
    assert "tidak berlaku untuk" in response.content.decode()
    assert not Langkah.objects.exists()


def test_an_opd_records_only_its_own_interventions(client_for, users, two_areas):
    case_in, _ = two_areas
    dinkes, dinsos = Opd.objects.get(kode="dinkes"), Opd.objects.get(kode="dinsos")
    client = client_for(users["opd"])
    response = client.post(reverse("kasus:intervensi_create", args=[case_in.pk]),
                           {"intervensi-jenis": "pmt_lokal", "intervensi-opd": dinkes.pk, "intervensi-mulai": "2025-03-08", "intervensi-hari_dimakan": "50"})
    assert response.status_code == 302
    pmt = Intervensi.objects.get()
    assert (pmt.opd, pmt.lama_hari, pmt.hari_dimakan) == (dinkes, rules.LAMA_PMT_HARI["stunting"], 50)
    refused = client.post(reverse("kasus:intervensi_create", args=[case_in.pk]),
                          {"intervensi-jenis": "bantuan_sosial", "intervensi-opd": dinsos.pk, "intervensi-mulai": "2025-03-08"})
    assert refused.status_code == 200 and Intervensi.objects.count() == 1  # Dinsos is not a choice for Dinkes
    with pytest.raises(Exception, match="OPD atau wilayah Anda sendiri"):
        services.record_intervention(case_in, jenis="bantuan_sosial", opd=dinsos, mulai=D(2025, 3, 8), user=users["opd"])
    assert client_for(users["pimpinan"]).post(reverse("kasus:intervensi_create", args=[case_in.pk]), {}).status_code == 403


def test_wilayah_records_the_areas_own_interventions_not_an_opds(users, two_areas):
    case_in, case_out = two_areas
    row = services.record_intervention(case_in, jenis="kunjungan_rumah", opd=None, mulai=D(2025, 3, 9), user=users["wilayah"])
    assert row.opd is None and row.dicatat_oleh == users["wilayah"]
    with pytest.raises(Exception):
        services.record_intervention(case_in, jenis="pmt_lokal", opd=Opd.objects.get(kode="dinkes"),
                                     mulai=D(2025, 3, 9), user=users["wilayah"])
    with pytest.raises(Exception):
        services.record_intervention(case_out, jenis="kunjungan_rumah", opd=None, mulai=D(2025, 3, 9), user=users["wilayah"])


def test_pmt_course_length_follows_the_problem(users):
    anak = make_anak(nama="Kurus")
    measure_z(anak, D(2025, 3, 5), tbu=0, bbtb=-2.5)
    kasus = Kasus.objects.get(anak=anak)
    pmt = services.record_intervention(kasus, jenis="pmt_lokal", opd=None, mulai=D(2025, 3, 6), user=SYSTEM)
    assert pmt.lama_hari == 56


def test_genting_help_is_read_from_the_ledger(client_for, users, two_areas):
    case_in, _ = two_areas
    family = KeluargaRisikoStunting.objects.create(kepala_keluarga="Budi", alamat="Jl. Melati 2",
                                                   kelurahan=kelurahan("Pesantren"), tanggal_masuk=D(2025, 1, 1))
    AnggotaKeluarga.objects.create(keluarga=family, nama="Putri", sasaran="anak", tanggal_lahir=case_in.anak.tanggal_lahir,
                                   anak=case_in.anak)
    kanal = Kanal.objects.get(kode="rumah-zakat")
    donor = OrangTuaAsuh.objects.create(nama="PT Peduli", jenis="perusahaan", komitmen_bentuk="sekali", komitmen_nominal=1)
    genting_services.record_donation(orang_tua_asuh=donor, kanal=kanal, jumlah=900_000, tanggal=D(2025, 3, 1), user=SYSTEM)
    genting_services.record_disbursement(keluarga=family, jenis="paket_nutrisi", kanal=kanal,
                                         akun_sumber=genting_services.account(JenisAkun.KAS, kanal), jumlah=450_000,
                                         tanggal=D(2025, 3, 20), user=SYSTEM)
    html = client_for(users["operator"]).get(reverse("kasus:detail", args=[case_in.pk])).content.decode()
    assert "GENTING: Paket nutrisi" in html and "KRS-" in html
    assert not Intervensi.objects.exists()  # never typed twice
    # GENTING's "did the help work" view shows the same outcome as the case page.
    family_page = client_for(users["operator"]).get(reverse("genting:keluarga_detail", args=[family.pk])).content.decode()
    assert "Stunting (pendek/sangat pendek)</a>: terbuka" in family_page
    cohort = selectors.cohorts(SYSTEM, 2025, per="intervensi")
    assert {r["label"]: r["kasus"] for r in cohort["baris"]} == {"Bantuan GENTING": 1, "Belum ada intervensi tercatat": 1}


def test_follow_up_counts_match_the_cases(client_for, users):
    # as_of = the latest measurement in the city: 5 Aug 2025 (the last one below).
    _, due_soon = stunted_child(nama="A", months=[D(2025, 7, 10)])
    _, overdue = stunted_child(nama="B", months=[D(2025, 6, 1)])
    _, lost = stunted_child(nama="C", months=[D(2025, 3, 1)])
    anak, recovered = stunted_child(nama="D", months=[D(2025, 5, 5)])
    measure_z(anak, D(2025, 7, 5), tbu=-1.5)
    measure_z(anak, D(2025, 8, 5), tbu=-1.5)
    on = selectors.as_of()
    assert on == D(2025, 8, 5)
    interval = datetime.timedelta(days=rules.interval_days())
    expected_overdue = {k.pk for k in (due_soon, overdue) if k.tanggal_buka + interval < on}
    response = client_for(users["admin"]).get(reverse("kasus:tindak_lanjut"), {"tingkat": "kelurahan"})
    row = response.context["rows"][0]
    assert row["nama"] == "Pesantren"
    assert (row["terbuka"], row["terlambat"], row["tidak_terukur"]) == (2, len(expected_overdue), 1)
    assert row["jatuh_tempo"] == sum(1 for k in (due_soon, overdue)
                                     if on <= k.tanggal_buka + interval <= on + datetime.timedelta(days=rules.soon_days()))
    visit = client_for(users["wilayah"]).get(reverse("kasus:kunjungan", args=[due_soon.anak.posyandu_id]),
                                             {"hari": "2025-08-12"})
    html = visit.content.decode()
    assert visit.status_code == 200 and "data-cetak" in html
    listed = {r["anak"].nama for r in visit.context["rows"]}
    assert listed == {"A", "B", "C"}  # D recovered; all three are due by 12 Aug
    assert client_for(users["pimpinan"]).get(reverse("kasus:kunjungan", args=[due_soon.anak.posyandu_id])).status_code == 403


def test_cohort_figures_equal_counts_made_here(client_for, users):
    recoveries = []
    for i, (start, ups) in enumerate([(D(2025, 1, 5), [D(2025, 2, 5), D(2025, 3, 5)]),
                                      (D(2025, 1, 20), [D(2025, 3, 20), D(2025, 5, 20)])]):
        anak, kasus = stunted_child(nama=f"Sembuh {i}", months=[start])
        for day in ups:
            measure_z(anak, day, tbu=-1.6)
        recoveries.append((ups[-1] - start).days)
    stunted_child(nama="Hilang", months=[D(2025, 1, 10)])
    _, doctor = stunted_child(nama="Dokter", months=[D(2025, 1, 12)])
    services.record_step(doctor, tahap="diagnosis_dsa", tanggal=D(2025, 1, 30), hasil="bukan_stunting", user=SYSTEM)
    stunted_child(nama="Februari", months=[D(2025, 2, 10), D(2025, 5, 10)])
    response = client_for(users["pimpinan"]).get(reverse("kasus:kohort"), {"tahun": "2025", "masalah": "stunting"})
    data = response.context["k"]
    januari = next(r for r in data["baris"] if r["label"] == "Januari")
    assert (januari["kasus"], januari["sembuh"], januari["hilang"], januari["lainnya"]) == (4, 2, 1, 1)
    assert januari["persen_sembuh"] == 50.0 and januari["persen_hilang"] == 25.0
    assert januari["median_hari"] == statistics.median(recoveries)
    assert data["total"]["kasus"] == 5 and data["total"]["terbuka"] == 1
    by_puskesmas = client_for(users["admin"]).get(reverse("kasus:kohort"), {"tahun": "2025", "per": "puskesmas"},
                                                  HTTP_HX_REQUEST="true")
    fragment = by_puskesmas.content.decode()
    assert "<td>Pesantren I</td><td class=\"num\">5</td>" in fragment
    assert "<html" not in fragment  # the partial for HTMX
    assert "bukan perkiraan sebab-akibat" in client_for(users["admin"]).get(
        reverse("kasus:kohort"), {"per": "intervensi"}).content.decode()


def test_the_case_list_downloads_as_xlsx_masked_for_readers(client_for, users, two_areas):
    def rows(role, **params):
        response = client_for(users[role]).get(reverse("kasus:ekspor"), params)
        assert response.status_code == 200
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        header = sheet.index(next(r for r in sheet if r and r[0] == "No"))
        return sheet[header + 1:]

    operator = rows("operator")
    assert sorted(r[3] for r in operator) == ["Putri Betet", "Putri Pesantren"]
    assert [r[3] for r in rows("wilayah")] == ["Putri Pesantren"]
    assert {r[3] for r in rows("pimpinan")} == {"P*** B***", "P*** P***"}
    assert AksesData.objects.filter(model="kasus.Kasus", aksi="unduh").count() == 2  # operator and wilayah
