"""Reads over the provincial assessment (the ranking selectors): tables, our city's history, gaps.

"Our city" is the kab/kota whose Kemendagri code prefixes the kecamatan codes of this install
(35.71 = Kota Kediri), so the app needs no extra setting.
"""

from django.db.models import Count, Max

from laporan.models import KabKota, NilaiKabKota, Penilaian
from tpps.models import Kecamatan


def own_kode() -> str:
    kecamatan = Kecamatan.objects.order_by("kode").values_list("kode", flat=True).first()
    return kecamatan[:5] if kecamatan else "35.71"


def own_kab_kota():
    return KabKota.objects.filter(kode=own_kode()).first()


def years() -> list[int]:
    return list(Penilaian.objects.order_by("-tahun").values_list("tahun", flat=True))


def assessment(tahun: int):
    return Penilaian.objects.filter(tahun=tahun).prefetch_related("komponen").first()


def table(penilaian, own_id=None) -> list[dict]:
    """All kab/kota of one assessment by rank, with the gap to the top and to the rank above."""
    rows = list(penilaian.nilai.select_related("kab_kota").order_by("peringkat"))
    top = rows[0].skor if rows else None
    result = []
    for i, row in enumerate(rows):
        above = rows[i - 1] if i else None
        result.append({
            "peringkat": row.peringkat,
            "kab_kota": row.kab_kota,
            "nama": str(row.kab_kota),
            "kode": row.kab_kota.kode,
            "jenis": row.kab_kota.get_jenis_display(),
            "skor": row.skor,
            "selisih_puncak": top - row.skor,
            "selisih_atas": (above.skor - row.skor) if above else None,
            "sendiri": row.kab_kota_id == own_id,
        })
    return result


def position(table_rows) -> dict | None:
    """Our city's row with its neighbours: the rank above and the leader."""
    for i, row in enumerate(table_rows):
        if row["sendiri"]:
            return {
                **row,
                "peserta": len(table_rows),
                "pemimpin": table_rows[0],
                "di_atas": table_rows[i - 1] if i else None,
                "di_bawah": table_rows[i + 1] if i + 1 < len(table_rows) else None,
                "sama_skor": [r for r in table_rows if r["skor"] == row["skor"] and not r["sendiri"]],
            }
    return None


def history(own_id=None) -> list[dict]:
    """Our city's rank and score per assessment year, oldest first, with the leader's score,
    `skala_berubah` (see `scale_changed`) and the year before's top score and maximum."""
    own_id = own_id or getattr(own_kab_kota(), "id", None)
    stats = {
        row["penilaian_id"]: row
        for row in NilaiKabKota.objects.values("penilaian_id").annotate(peserta=Count("id"), puncak=Max("skor"))
    }
    rows = (
        NilaiKabKota.objects.filter(kab_kota_id=own_id)
        .select_related("penilaian")
        .order_by("penilaian__tahun")
    )
    rows = [
        {
            "tahun": r.penilaian.tahun,
            "peringkat": r.peringkat,
            "skor": r.skor,
            "peserta": stats[r.penilaian_id]["peserta"],
            "puncak": stats[r.penilaian_id]["puncak"],
            "selisih_puncak": stats[r.penilaian_id]["puncak"] - r.skor,
            "penilaian": r.penilaian,
        }
        for r in rows
    ]
    for before, row in zip([None, *rows], rows):
        row["skala_berubah"] = scale_changed(before, row)
        row["puncak_lalu"] = before["puncak"] if before else None
        row["maksimum_lalu"] = before["penilaian"].skor_maksimum if before else None
    return rows


# Above this ratio between two years' top scores, without stated maxima, the scale is taken to differ.
SCALE_JUMP = 1.2


def scale_changed(before: dict | None, row: dict) -> bool:
    """Whether a year's scores stand on another scale than the year before's, so scores cannot be
    compared across them (ranks still can): the stated maxima differ; or a score passes the year
    before's stated maximum (2025's 132 after two years out of 100); or, without maxima, the top
    score moves by more than SCALE_JUMP."""
    if before is None:
        return False
    max_before, max_now = before["penilaian"].skor_maksimum, row["penilaian"].skor_maksimum
    if max_before is not None and max_now is not None:
        return max_before != max_now
    if max_before is not None:
        return row["puncak"] > max_before
    if max_now is not None:
        return before["puncak"] > max_now
    low, high = sorted([float(before["puncak"]), float(row["puncak"])])
    return low > 0 and high / low > SCALE_JUMP
