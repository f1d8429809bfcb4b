"""The pack's narrative ("Ringkasan naratif"): paragraphs in plain Indonesian written by rules from
the figures the pack already holds (pdf.figures' dict), never from a second count. No database
here: the operator's edits are merged by laporan.selectors.narrative."""

from dataclasses import dataclass

from balita.figures import nama_indikator
from laporan.figures import Perubahan
from tpps.formatting import angka, persen, rupiah, selang


@dataclass(frozen=True)
class Paragraf:
    kunci: str
    judul: str
    teks: str


def paragraphs(data: dict) -> list[Paragraf]:
    """The automatic paragraphs, in the order the pack prints them (keys stay stable: edits are
    stored under them)."""
    return [Paragraf(kunci, judul, " ".join(write(data))) for kunci, judul, write in PARAGRAPHS]


# --- small words ---------------------------------------------------------------------------------

def _poin(value, decimals: int = 2) -> str:
    """A change of a rate; prevalences carry two decimals, coverage one (as printed beside it)."""
    return f"{angka(value, decimals)} poin persen"


def _rate(value, ci) -> str:
    """'4,62% (95% CI 4,21–5,06)'; the interval only where one exists."""
    return f"{persen(value, 2)} ({selang(ci)})" if ci else persen(value, 2)


def overlap(a, b) -> bool | None:
    """Whether two 95 % intervals overlap (None when either is missing): non-overlapping intervals
    mean the change is beyond chance; overlapping ones do not prove it is."""
    if not a or not b:
        return None
    return a[0] <= b[1] and b[0] <= a[1]


def _change_of_rate(name: str, change: Perubahan, ci_now, ci_before, tahun: int) -> str:
    """'turun 0,31 poin persen dari 4,93% (95% CI …) pada 2024; …' for a prevalence."""
    if not change.arah:
        return f"Perubahan {name} dari {tahun - 1} tidak dinilai: data salah satu tahun belum mewakili kota."
    if change.arah == "tetap":
        return f"Angka ini sama dengan {tahun - 1}."
    text = f"Angka ini {change.arah} {_poin(change.besar)} dari {_rate(change.sebelumnya, ci_before)} pada {tahun - 1}."
    apart = overlap(ci_now, ci_before)
    if apart is False:
        text += " Selang kepercayaan 95% kedua tahun tidak bertumpang tindih, jadi perubahan ini nyata."
    elif apart:
        text += " Selang kepercayaan 95% kedua tahun bertumpang tindih, jadi perubahan ini belum pasti nyata."
    return text


# --- one function per paragraph ------------------------------------------------------------------

def _better(data) -> tuple[list[str], list[str]]:
    """(what improved, what did not) across the pack's figures, in words with numbers."""
    d, tahun = data["d"], data["tahun"]
    better, worse = [], []
    for kode, change in (("stunting", d.perubahan_prevalensi), ("wasting", d.perubahan_wasting),
                         ("underweight", d.perubahan_underweight)):
        name = nama_indikator(kode).split(" (")[0].lower()
        if change.arah == "turun":
            better.append(f"prevalensi {name} turun {_poin(change.besar)}")
        elif change.arah in ("naik", "tetap"):
            worse.append(f"prevalensi {name} {change.arah}" + (f" {_poin(change.besar)}" if change.besar else ""))
    cakupan = d.perubahan_cakupan
    if cakupan.arah == "naik":
        better.append(f"cakupan penimbangan naik {_poin(cakupan.besar, 1)}")
    elif cakupan.arah in ("turun", "tetap"):
        worse.append(f"cakupan penimbangan {cakupan.arah}" + (f" {_poin(cakupan.besar, 1)}" if cakupan.besar else ""))
    if d.target_tercapai is True:
        better.append(f"target prevalensi stunting {persen(d.target.target_prevalensi)} tercapai")
    elif d.target_tercapai is False:
        worse.append(f"target prevalensi stunting {persen(d.target.target_prevalensi)} belum tercapai")
    status = _indicator_counts(data["indikator"])
    if status["tercapai"]:
        better.append(f"{status['tercapai']} indikator mencapai target")
    if status["belum"] or status["hampir"]:
        worse.append(f"{status['belum'] + status['hampir']} indikator belum mencapai target")
    return better, worse


def _pokok(data):
    better, worse = _better(data)
    tahun = data["tahun"]
    yield f"Ringkasan kinerja {data['kota']} tahun {tahun} dibanding {tahun - 1}."
    yield (f"Yang membaik: {'; '.join(better)}." if better else "Belum ada ukuran yang membaik atau belum ada data pembanding.")
    yield (f"Yang belum membaik: {'; '.join(worse)}." if worse else "Tidak ada ukuran yang memburuk.")


def _stunting(data):
    d, tahun = data["d"], data["tahun"]
    now = d.sekarang
    if not now.tbu_valid:
        yield f"Belum ada balita dengan pengukuran tinggi badan yang sah pada tahun {tahun}."
        return
    yield (f"Pada {tahun}, {angka(now.stunting)} dari {angka(now.tbu_valid)} balita dengan TB/U sah tergolong "
           f"stunting (pendek dan sangat pendek): prevalensi {_rate(now.prevalensi, now.ci_prevalensi)}.")
    yield _change_of_rate("prevalensi stunting", d.perubahan_prevalensi, now.ci_prevalensi, d.lalu.ci_prevalensi, tahun)
    count = d.perubahan_stunting
    if count.arah in ("turun", "naik"):
        yield f"Jumlah balita stunting {count.arah} {angka(count.besar)} anak (dari {angka(count.sebelumnya)})."
    if d.target_tercapai is not None:
        word = "tercapai" if d.target_tercapai else "belum tercapai"
        yield f"Target prevalensi {tahun} sebesar {persen(d.target.target_prevalensi)} {word}."


def _gizi(data):
    d, tahun = data["d"], data["tahun"]
    now = d.sekarang
    if not (now.bbtb_valid or now.bbu_valid):
        yield f"Belum ada balita dengan pengukuran berat badan yang sah pada tahun {tahun}."
        return
    for kode, count, rate, ci, change, ci_before in (
        ("wasting", now.wasting, now.persen_wasting, now.ci_wasting, d.perubahan_wasting, d.lalu.ci_wasting),
        ("underweight", now.underweight, now.persen_underweight, now.ci_underweight, d.perubahan_underweight,
         d.lalu.ci_underweight),
    ):
        name = nama_indikator(kode)
        yield f"{name}: {angka(count)} balita, prevalensi {_rate(rate, ci)}."
        yield _change_of_rate(name.split(" (")[0].lower(), change, ci, ci_before, tahun)


def _cakupan(data):
    d, tahun = data["d"], data["tahun"]
    now = d.sekarang
    if not now.sasaran:
        yield f"Belum ada sasaran balita yang tercatat untuk tahun {tahun}."
        return
    yield (f"Sebanyak {angka(now.diukur)} dari {angka(now.sasaran)} balita sasaran ({persen(now.cakupan)}) "
           f"ditimbang dan diukur setidaknya sekali pada {tahun}.")
    change = d.perubahan_cakupan
    if change.arah == "tetap":
        yield f"Cakupan ini sama dengan {tahun - 1}."
    elif change.arah:
        yield f"Cakupan ini {change.arah} {_poin(change.besar, 1)} dari {persen(change.sebelumnya)} pada {tahun - 1}."
    if d.target is not None and now.cakupan is not None:
        word = "tercapai" if now.cakupan >= float(d.target.target_cakupan) else "belum tercapai"
        yield f"Target cakupan {persen(d.target.target_cakupan)} {word}."
    not_measured = now.sasaran - now.diukur
    if not_measured > 0:
        yield f"{angka(not_measured)} balita sasaran belum diukur sepanjang tahun."


def _aksi(data):
    ready, tahun = data["kesiapan"], data["tahun"]
    if ready.get("kesiapan") is None:
        yield f"Belum ada data delapan aksi konvergensi untuk tahun {tahun}."
        return
    states = ready["aksi"]
    yield (f"Kesiapan delapan aksi konvergensi {tahun} rata-rata {persen(ready['kesiapan'])}: "
           f"{states.get('selesai', 0)} aksi selesai, {states.get('berjalan', 0)} berjalan, "
           f"{states.get('belum_mulai', 0)} belum mulai; {angka(ready['keluaran_diterima'])} dari "
           f"{angka(ready['keluaran_wajib'])} keluaran wajib sudah diterima.")
    short = [a for a in data["aksi"] if a.get("kesiapan") is not None and a["kesiapan"] < 100]
    if short:
        yield "Belum lengkap: " + "; ".join(f"aksi {a['nomor']} {a['nama']} ({persen(a['kesiapan'])})" for a in short) + "."


def _indicator_counts(rows) -> dict:
    counts = {"tercapai": 0, "hampir": 0, "belum": 0, "tanpa_data": 0, "tanpa_target": 0}
    for row in rows or []:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def _indikator(data):
    rows, tahun = data["indikator"] or [], data["tahun"]
    if not rows:
        yield f"Belum ada indikator dengan target untuk tahun {tahun}."
        return
    c = _indicator_counts(rows)
    yield (f"Dari {len(rows)} indikator tahun {tahun}, {c['tercapai']} tercapai, {c['hampir']} hampir tercapai, "
           f"{c['belum']} belum tercapai dan {c['tanpa_data'] + c['tanpa_target']} belum ada data atau target.")
    missed = [r for r in rows if r["status"] in ("belum", "hampir")]
    if missed:
        yield "Belum mencapai target: " + "; ".join(
            f"{r['nama']} (capaian {angka(r['capaian'], 1)} dari target {angka(r['target'], 1)})" for r in missed
        ) + "."


def _genting(data):
    g, tahun = data["genting"], data["tahun"]
    if g["kosong"]:
        yield f"Belum ada transaksi GENTING pada tahun {tahun}."
        return
    t = g["totals"]
    yield (f"GENTING {tahun}: donasi uang masuk {rupiah(t['masuk'])} dari {angka(t['donatur'])} orang tua asuh; "
           f"{rupiah(t['keluar'])} tersalurkan dalam {angka(t['penyaluran'])} penyaluran kepada "
           f"{angka(t['keluarga_dibantu'])} keluarga; saldo akhir tahun {rupiah(t['saldo'])}.")
    if t["natura_keluar"]:
        yield f"Bantuan barang dan kegiatan senilai {rupiah(t['natura_keluar'])} juga sudah diterima keluarga."


def _kasus(data):
    k, tahun = data["kasus"], data["tahun"]
    cohort = k["kohort"]
    if not cohort["kasus"]:
        yield f"Belum ada kasus gizi yang dibuka pada tahun {tahun}."
        return
    yield (f"Dari {angka(cohort['kasus'])} kasus gizi yang dibuka pada {tahun}, {angka(cohort['sembuh'])} sembuh "
           f"({persen(cohort['persen_sembuh'])}), {angka(cohort['hilang'])} tidak terukur ulang "
           f"({persen(cohort['persen_hilang'])}) dan {angka(cohort['terbuka'])} masih diikuti.")
    if cohort.get("median_hari") is not None:
        yield f"Median waktu sampai sembuh {angka(cohort['median_hari'])} hari."


def _rekomendasi(data):
    r, tahun = data["rekomendasi"], data["tahun"]
    rows = r["rows"]
    if not rows:
        yield f"Belum ada rekomendasi provinsi yang dicatat untuk penilaian {tahun - 1} dan {tahun}."
        return
    n = r["jumlah"]
    yield (f"Dari {len(rows)} rekomendasi dan catatan kelemahan penilaian {tahun - 1}–{tahun}, "
           f"{n.get('selesai', 0)} selesai ditindaklanjuti, {n.get('berjalan', 0)} sedang berjalan dan "
           f"{n.get('belum', 0)} belum ditindaklanjuti.")
    open_rows = [row for row in rows if row["status"] == "belum"]
    if open_rows:
        yield "Belum ditindaklanjuti: " + "; ".join(row["judul"] for row in open_rows[:3]) + (
            f"; dan {len(open_rows) - 3} lainnya." if len(open_rows) > 3 else ".")


PARAGRAPHS = [
    ("pokok", "Yang membaik dan yang belum", _pokok),
    ("stunting", "Prevalensi stunting", _stunting),
    ("gizi", "Gizi kurang dan berat badan kurang", _gizi),
    ("cakupan", "Cakupan penimbangan", _cakupan),
    ("aksi", "Delapan aksi konvergensi", _aksi),
    ("indikator", "Indikator", _indikator),
    ("genting", "GENTING", _genting),
    ("kasus", "Tata laksana gizi", _kasus),
    ("rekomendasi", "Tindak lanjut rekomendasi", _rekomendasi),
]
KEYS = [kunci for kunci, _, _ in PARAGRAPHS]
