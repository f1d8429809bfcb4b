"""Demo data of the laporan app: yearly targets, three provincial assessments, the summary.

The 2025 figures follow DOMAIN.md (Kota Kediri 7th of 38 with 129; Kota Mojokerto 1st with 132;
Jombang 130, 5th; Bojonegoro 129, 9th) and 2023 has Kota Kediri 2nd; every other score is a
plausible demo value, not an official one.
"""

from decimal import Decimal

from django.db import transaction

from laporan import services
from laporan.models import KabKota, Penilaian, TargetTahunan

TARGETS = [
    (2023, "14.0", "nilai contoh (target nasional 2024: 14%)"),
    (2024, "14.0", "target nasional 2024 (Perpres 72/2021)"),
    (2025, "18.0", "target nasional 2025"),
    (2026, "17.0", "nilai contoh"),
]

# 2025: (rank, kab/kota as in the province's list, score)
PENILAIAN_2025 = [
    (1, "Kota Mojokerto", 132), (2, "Kota Surabaya", 131), (3, "Kabupaten Banyuwangi", 131),
    (4, "Kabupaten Sidoarjo", 130), (5, "Kabupaten Jombang", 130), (6, "Kabupaten Lamongan", 130),
    (7, "Kota Kediri", 129), (8, "Kota Madiun", 129), (9, "Kabupaten Bojonegoro", 129),
    (10, "Kota Blitar", 128), (11, "Kabupaten Gresik", 128), (12, "Kabupaten Tulungagung", 127),
    (13, "Kota Malang", 127), (14, "Kabupaten Trenggalek", 126), (15, "Kabupaten Pacitan", 126),
    (16, "Kabupaten Ngawi", 125), (17, "Kota Batu", 125), (18, "Kabupaten Magetan", 124),
    (19, "Kabupaten Madiun", 124), (20, "Kabupaten Kediri", 123), (21, "Kabupaten Nganjuk", 123),
    (22, "Kabupaten Ponorogo", 122), (23, "Kabupaten Blitar", 122), (24, "Kabupaten Tuban", 121),
    (25, "Kabupaten Malang", 121), (26, "Kota Pasuruan", 120), (27, "Kota Probolinggo", 120),
    (28, "Kabupaten Mojokerto", 119), (29, "Kabupaten Lumajang", 118), (30, "Kabupaten Pasuruan", 117),
    (31, "Kabupaten Probolinggo", 116), (32, "Kabupaten Jember", 115), (33, "Kabupaten Situbondo", 114),
    (34, "Kabupaten Bondowoso", 113), (35, "Kabupaten Pamekasan", 112), (36, "Kabupaten Sumenep", 110),
    (37, "Kabupaten Bangkalan", 108), (38, "Kabupaten Sampang", 106),
]

# Order of the other years (demo): Kota Kediri 2nd in 2023, 4th in 2024.
ORDER_2023 = ["Kota Surabaya", "Kota Kediri", "Kabupaten Banyuwangi", "Kabupaten Sidoarjo", "Kota Mojokerto"]
ORDER_2024 = ["Kabupaten Banyuwangi", "Kota Surabaya", "Kota Mojokerto", "Kota Kediri", "Kabupaten Jombang"]

KOMPONEN_2023 = [
    ("Pelaporan delapan aksi konvergensi", "30", "27.60", "30"),
    ("Indikator kesehatan", None, "18.40", None),
    ("Indikator Bangga Kencana", None, "13.10", None),
    ("Kelembagaan TPPS", None, "14.25", None),
    ("Presentasi", None, "18.45", None),
]


def _ordered(first: list[str]) -> list[str]:
    rest = [name for _, name, _ in PENILAIAN_2025 if name not in first]
    return first + rest


def _rows(names_by_rank, scores, by_name):
    return [
        {"kab_kota": by_name[name], "skor": Decimal(str(score)), "peringkat": rank}
        for rank, (name, score) in enumerate(zip(names_by_rank, scores), start=1)
    ]


@transaction.atomic
def load_ranking() -> int:
    if Penilaian.objects.exists():
        return 0
    by_name = {str(k): k for k in KabKota.objects.all()}
    services.save_penilaian(
        2025,
        [{"kab_kota": by_name[name], "skor": Decimal(score), "peringkat": rank} for rank, name, score in PENILAIAN_2025],
        [], keterangan="Penilaian kinerja TPPS kab/kota se-Jawa Timur 2025",
    )
    # 2023 and 2024 on a 0-100 scale; a tie in each year shows that equal scores keep distinct ranks.
    scores_2023 = [92.4, 91.8, 91.8] + [round(90.5 - 0.85 * i, 2) for i in range(35)]
    services.save_penilaian(
        2023, _rows(_ordered(ORDER_2023), scores_2023, by_name),
        [{"nama": n, "bobot": Decimal(b) if b else None, "skor": Decimal(s), "skor_maksimum": Decimal(m) if m else None}
         for n, b, s, m in KOMPONEN_2023],
        keterangan="Penilaian kinerja TPPS tahun 2023", skor_maksimum=Decimal(100),
    )
    scores_2024 = [94.1, 93.0, 92.2, 91.5, 91.5] + [round(90.9 - 0.8 * i, 2) for i in range(33)]
    services.save_penilaian(
        2024, _rows(_ordered(ORDER_2024), scores_2024, by_name), [],
        keterangan="Penilaian kinerja TPPS tahun 2024", skor_maksimum=Decimal(100),
    )
    return 3


def load_targets() -> int:
    created = 0
    for tahun, target, keterangan in TARGETS:
        _, new = TargetTahunan.objects.get_or_create(
            tahun=tahun, defaults={"target_prevalensi": Decimal(target), "keterangan": keterangan}
        )
        created += new
    return created


def load(stdout=None) -> dict:
    result = {"target": load_targets(), "penilaian": load_ranking()}
    if stdout is not None:
        stdout.write(f"Laporan: {result['target']} target baru, {result['penilaian']} penilaian baru.")
    return result
