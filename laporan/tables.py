"""Every downloadable table of the dashboard and the reports, declared once (headers in Bahasa
Indonesia, value types for the number formats)."""

from balita.figures import nama_indikator
from laporan.exports import Kolom, Tabel
from tpps.formatting import BULAN


def _ci(angka, side: int):
    """One end of the prevalence's 95 % interval (WHO anthro's, balita.figures.Angka)."""
    bounds = angka.ci_prevalensi
    return bounds[side] if bounds else None


def _area_columns(level: str):
    columns = [Kolom(level.title(), lambda r: r.nama, lebar=26)]
    if level == "kelurahan":
        columns += [Kolom("Kecamatan", lambda r: r.kecamatan), Kolom("Lokus", lambda r: "ya" if r.lokus else "")]
    else:
        columns.append(Kolom("Jumlah kelurahan", lambda r: r.jumlah_kelurahan, "angka"))
    return columns + [
        Kolom("Sasaran balita", lambda r: r.sekarang.sasaran, "angka"),
        Kolom("Balita diukur", lambda r: r.sekarang.diukur, "angka"),
        Kolom("Cakupan (%)", lambda r: r.sekarang.cakupan, "persen"),
        Kolom("Diukur TB/U valid", lambda r: r.sekarang.tbu_valid, "angka"),
        Kolom("Balita stunting", lambda r: r.sekarang.stunting, "angka"),
        Kolom("Sangat pendek", lambda r: r.sekarang.sangat_pendek, "angka"),
        Kolom("Prevalensi stunting (%)", lambda r: r.sekarang.prevalensi, "persen"),
        Kolom("CI bawah (%)", lambda r: _ci(r.sekarang, 0), "persen"),
        Kolom("CI atas (%)", lambda r: _ci(r.sekarang, 1), "persen"),
        Kolom("Perubahan jumlah stunting (anak)", lambda r: r.perubahan_stunting, "angka"),
        Kolom(f"{nama_indikator('underweight')} (%)", lambda r: r.sekarang.persen_underweight, "persen"),
        Kolom(f"{nama_indikator('wasting')} (%)", lambda r: r.sekarang.persen_wasting, "persen"),
    ]


def area_table(level: str, rows, periode, wilayah: str = "") -> Tabel:
    where = f" — {wilayah}" if wilayah else ""
    return Tabel(
        judul=f"Stunting per {level}, {periode.label}{where}",
        nama_berkas=f"stunting-per-{level}-{periode.tahun}-{periode.kode}",
        kolom=_area_columns(level),
        baris=rows,
        keterangan=f"Perubahan dibanding {periode.sebelumnya().label}. Prevalensi = stunting ÷ balita dengan TB/U valid; "
                   "CI = selang kepercayaan 95 % seperti paket anthro WHO.",
    )


def trend_table(rows, tahun: int, wilayah: str = "") -> Tabel:
    return Tabel(
        judul=f"Tren bulanan stunting s.d. {tahun}" + (f" — {wilayah}" if wilayah else ""),
        nama_berkas=f"tren-stunting-{tahun}",
        kolom=[
            Kolom("Tahun", lambda r: r["tahun"], "teks"),
            Kolom("Bulan", lambda r: BULAN[r["bulan"] - 1]),
            Kolom("Balita diukur", lambda r: r["angka"].diukur, "angka"),
            Kolom("Diukur TB/U valid", lambda r: r["angka"].tbu_valid, "angka"),
            Kolom("Balita stunting", lambda r: r["angka"].stunting, "angka"),
            Kolom("Prevalensi stunting (%)", lambda r: r["angka"].prevalensi, "persen"),
            Kolom("CI bawah (%)", lambda r: _ci(r["angka"], 0), "persen"),
            Kolom("CI atas (%)", lambda r: _ci(r["angka"], 1), "persen"),
            Kolom("Target (%)", lambda r: r["target"], "persen"),
            Kolom(f"{nama_indikator('underweight')} (%)", lambda r: r["angka"].persen_underweight, "persen"),
            Kolom(f"{nama_indikator('wasting')} (%)", lambda r: r["angka"].persen_wasting, "persen"),
        ],
        baris=rows,
    )


def children_table(rows, kelurahan, periode) -> Tabel:
    """Rows come from `selectors.child_row`, names and NIK already masked for the viewer."""
    columns = [
        Kolom("Nama", lambda r: r["nama"], lebar=28),
        Kolom("NIK", lambda r: r["nik"], lebar=20),
        Kolom("JK", lambda r: r["jenis_kelamin"]),
        Kolom("Umur (bulan)", lambda r: r["umur_bulan"], "angka"),
        Kolom("Tanggal ukur", lambda r: r["tanggal"], "tanggal"),
        Kolom("Posyandu", lambda r: r["posyandu"], lebar=24),
        Kolom("Berat (kg)", lambda r: r["berat"], "desimal"),
        Kolom("Tinggi (cm)", lambda r: r["tinggi"], "desimal"),
        Kolom("ZS TB/U", lambda r: r["zs_tbu"], "desimal"),
        Kolom("TB/U", lambda r: r["tbu"]),
        Kolom("BB/U", lambda r: r["bbu"]),
        Kolom("BB/TB", lambda r: r["bbtb"]),
    ]
    return Tabel(
        judul=f"Balita Kelurahan {kelurahan.nama}, {periode.label}",
        nama_berkas=f"balita-{kelurahan.nama.lower().replace(' ', '-')}-{periode.tahun}-{periode.kode}",
        kolom=columns,
        baris=rows,
        keterangan="Pengukuran terakhir setiap anak dalam periode.",
    )


def ranking_table(rows, tahun: int) -> Tabel:
    return Tabel(
        judul=f"Peringkat kinerja TPPS kab/kota Jawa Timur {tahun}",
        nama_berkas=f"peringkat-kabkota-{tahun}",
        kolom=[
            Kolom("Peringkat", lambda r: r["peringkat"], "angka"),
            Kolom("Kode", lambda r: r["kode"]),
            Kolom("Kab/Kota", lambda r: r["nama"], lebar=28),
            Kolom("Skor", lambda r: r["skor"], "desimal"),
            Kolom("Selisih dengan peringkat 1", lambda r: r["selisih_puncak"], "desimal"),
            Kolom("Selisih dengan peringkat di atasnya", lambda r: r["selisih_atas"], "desimal"),
        ],
        baris=rows,
    )


def history_table(rows, nama: str) -> Tabel:
    return Tabel(
        judul=f"Riwayat peringkat {nama}",
        nama_berkas="riwayat-peringkat",
        kolom=[
            Kolom("Tahun", lambda r: r["tahun"], "teks"),
            Kolom("Peringkat", lambda r: r["peringkat"], "angka"),
            Kolom("Jumlah kab/kota", lambda r: r["peserta"], "angka"),
            Kolom("Skor", lambda r: r["skor"], "desimal"),
            Kolom("Skor tertinggi", lambda r: r["puncak"], "desimal"),
            Kolom("Selisih dengan peringkat 1", lambda r: r["selisih_puncak"], "desimal"),
        ],
        baris=rows,
    )


def components_table(rows, tahun: int, nama: str) -> Tabel:
    return Tabel(
        judul=f"Komponen nilai {nama} {tahun}",
        nama_berkas=f"komponen-nilai-{tahun}",
        kolom=[
            Kolom("Komponen", lambda r: r.nama, lebar=40),
            Kolom("Bobot (%)", lambda r: r.bobot, "persen"),
            Kolom("Skor", lambda r: r.skor, "desimal"),
            Kolom("Skor maksimum", lambda r: r.skor_maksimum, "desimal"),
        ],
        baris=rows,
    )
