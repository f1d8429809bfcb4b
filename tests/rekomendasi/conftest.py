"""Fixtures for rekomendasi tests: private media in a temporary folder, a Bappeda user next to
the shared one-user-per-role fixture (whose OPD user is Dinkes), and a recommendation factory."""

import datetime

import pytest

from rekomendasi import services
from rekomendasi.models import Inovasi, Rekomendasi
from tests.factories import make_user
from tpps.models import Opd
from tpps.roles import SYSTEM, Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bappeda(db):
    return make_user("u_bappeda", (Role.OPD, {"opd": "bappeda"}))


def opd(kode):
    return Opd.objects.get(kode=kode)


def make_rekomendasi(judul="Penguatan tata laksana gizi", opds=("dinkes",), tahun=2025, **links):
    return services.save_recommendation(Rekomendasi(tahun=tahun, judul=judul, **links.pop("fields", {})),
                                        opd=[opd(k) for k in opds], user=SYSTEM, **links)


def make_inovasi(nama="Dokter spesialis anak di puskesmas", opd_kode="dinkes", **fields):
    values = {"mulai": datetime.date(2024, 7, 1), "sasaran": "balita", "sumber_anggaran": "apbd", "uraian": "Praktik terjadwal"}
    values.update(fields)
    return services.save_innovation(Inovasi(nama=nama, opd=opd(opd_kode), **values), user=SYSTEM)


def follow_up(rekomendasi, opd_kode="dinkes", tuntas=False, **data):
    values = {"uraian": "Dikerjakan", "tanggal": datetime.date(2025, 8, 1), "hasil": "Hasil tercapai" if tuntas else "", "tuntas": tuntas}
    values.update(data)
    return services.record_follow_up(rekomendasi, opd(opd_kode), values, user=SYSTEM)
