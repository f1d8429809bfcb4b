"""Demo data for GENTING: about 60 foster parents, 300 families at risk, and a year of donations
and deliveries written through the real services (so the ledger reconciles), plus a few
corrections. Children are linked to balita's records where that app's demo has children.

Idempotent: does nothing when foster parents exist (except linking children once balita has some).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from balita import figures as nutrition_figures
from balita.models import Anak
from genting import services
from genting.models import (
    Akun,
    AnggotaKeluarga,
    BentukDonasi,
    BentukKomitmen,
    Donasi,
    Entri,
    JenisAkun,
    JenisBantuan,
    Kanal,
    KebutuhanKeluarga,
    KeluargaRisikoStunting,
    OrangTuaAsuh,
    Pendampingan,
    Penyaluran,
    Sasaran,
    StatusKeluarga,
    Transaksi,
)
from genting.models.ledger import JenisTransaksi
from genting.reconcile import reconcile
from tpps.models import Kelurahan, LokusKelurahan
from tpps.roles import SYSTEM

FIRST = ["Siti", "Sri", "Dwi", "Tri", "Endah", "Rina", "Yuli", "Nur", "Ani", "Wahyu", "Eko", "Agus", "Budi", "Heru",
         "Joko", "Slamet", "Bambang", "Dedi", "Rudi", "Hadi", "Dewi", "Lestari", "Ratna", "Indah", "Fitri", "Ika"]
LAST = ["Wahyuni", "Rahayu", "Susanti", "Handayani", "Purnomo", "Santoso", "Prasetyo", "Setiawan", "Hidayat",
        "Kurniawan", "Saputra", "Wibowo", "Utami", "Lestari", "Anggraini", "Maulana", "Nugroho", "Suryani"]
CHILD = ["Aisyah", "Arka", "Bima", "Cahya", "Dafa", "Elvira", "Fahri", "Gendis", "Hafiz", "Intan", "Kirana", "Naufal",
         "Nayla", "Raka", "Salsa", "Zahra", "Alif", "Bilqis", "Dimas", "Keisha"]
STREETS = ["Jl. Mayor Bismo", "Jl. Hayam Wuruk", "Jl. Dhoho", "Jl. Brawijaya", "Jl. Kawi", "Jl. Semeru", "Jl. Sersan Bahrun",
           "Jl. Imam Bonjol", "Jl. Veteran", "Jl. Banjarmlati", "Gg. Melati", "Gg. Kenanga", "Jl. Penanggungan"]

# (kind, name pattern, commitment kind, monthly/one-off amounts to pick from)
DONORS = [
    ("perusahaan", ["PT Sinar Brantas Abadi", "PT Kediri Agro Lestari", "CV Tahu Kuning Makmur", "PT Gunung Kelud Mandiri",
                    "CV Dhoho Sejahtera", "PT Tenun Ikat Bandar", "PT Jaya Logistik Kediri", "CV Gethuk Pisang Nusantara",
                    "PT Mitra Tani Kediri", "PT Sumber Air Brantas"]),
    ("bumn_bumd", ["Bank Daerah Kediri (demo)", "BUMD Pasar Kota Kediri (demo)", "BUMN Energi Cabang Kediri (demo)",
                   "BUMN Perbankan Cabang Kediri (demo)", "BUMD Air Minum Kediri (demo)"]),
    ("organisasi", ["PKK Kecamatan Mojoroto", "Paguyuban Pedagang Pasar Setonobetek", "Komunitas Peduli Balita Kediri",
                    "Ikatan Bidan Kediri (demo)", "Forum Anak Kota Kediri", "Yayasan Cahaya Brantas"]),
    ("perguruan_tinggi", ["Universitas Brantas Kediri (demo)", "Politeknik Kesehatan Kediri (demo)", "Institut Agama Kediri (demo)"]),
    ("media", ["Radio Kediri Sehat FM (demo)", "Portal Berita Kediri Hari Ini (demo)"]),
    ("lainnya", ["Arisan Warga Perumahan Griya Kediri", "Jamaah Masjid Al-Ikhlas Tosaren"]),
]
MONTHLY = [100_000, 250_000, 500_000, 1_000_000, 1_500_000, 2_500_000, 5_000_000, 7_500_000, 10_000_000]


def _person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _months_back(today, months):
    year, month = today.year, today.month - months
    while month <= 0:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def _foster_parents(rng, start):
    rows = []
    for kind, names in DONORS:
        for name in names:
            rows.append((kind, name))
    while len(rows) < 60:
        kind = "asn" if len(rows) % 3 == 0 else "perorangan"
        rows.append((kind, ("dr. " if kind == "asn" and rng.random() < 0.3 else "") + _person(rng)))
    created = []
    for kind, name in rows:
        organisation = kind not in ("perorangan", "asn")
        bentuk = rng.choices(
            [BentukKomitmen.BULANAN, BentukKomitmen.SEKALI, BentukKomitmen.BARANG, BentukKomitmen.KEGIATAN],
            weights=[6, 2, 1, 1] if organisation else [8, 2, 0.5, 0.2],
        )[0]
        if bentuk == BentukKomitmen.BULANAN:
            nominal = rng.choice(MONTHLY[3:] if organisation else MONTHLY[:5])
        elif bentuk == BentukKomitmen.SEKALI:
            nominal = rng.choice([5_000_000, 10_000_000, 25_000_000] if organisation else [1_000_000, 2_000_000, 3_000_000])
        else:
            nominal = rng.choice([2_000_000, 5_000_000, 7_500_000])
        contact = _person(rng)
        created.append(OrangTuaAsuh(
            nama=name, jenis=kind, kontak_nama=contact if organisation else "",
            telepon=f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
            email=f"{contact.split()[0].lower()}.{rng.randint(1, 99)}@contoh.id",
            alamat=f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, Kota Kediri",
            komitmen_bentuk=bentuk, komitmen_nominal=nominal,
            komitmen_bulan=rng.choice([6, 12]) if bentuk == BentukKomitmen.BULANAN else 1,
            komitmen_mulai=start + datetime.timedelta(days=rng.randint(0, 60)),
            komitmen_uraian={"barang": "Paket susu, telur, dan beras", "kegiatan": "Kelas gizi dan pemeriksaan"}.get(bentuk, ""),
        ))
    return OrangTuaAsuh.objects.bulk_create(created)


def _families(rng, start, today):
    kelurahan = list(Kelurahan.objects.all())
    lokus = set(LokusKelurahan.objects.values_list("kelurahan_id", flat=True))
    weights = [4 if k.id in lokus else 1 for k in kelurahan]
    families, members = [], []
    for _ in range(300):
        entered = start - datetime.timedelta(days=rng.randint(0, 90))
        needs = [KebutuhanKeluarga.NUTRISI] if rng.random() < 0.9 else []
        needs += [n for n, p in [(KebutuhanKeluarga.AIR_BERSIH, 0.2), (KebutuhanKeluarga.JAMBAN, 0.15),
                                 (KebutuhanKeluarga.RUMAH_LAYAK, 0.1), (KebutuhanKeluarga.EDUKASI, 0.5)] if rng.random() < p]
        status = rng.choices([StatusKeluarga.AKTIF, StatusKeluarga.SELESAI, StatusKeluarga.KELUAR], weights=[90, 7, 3])[0]
        finished = None
        if status != StatusKeluarga.AKTIF:
            finished = min(today, entered + datetime.timedelta(days=rng.randint(200, 400)))
        families.append(KeluargaRisikoStunting(
            kepala_keluarga=f"{rng.choice(FIRST[11:20])} {rng.choice(LAST)}",
            nik_kepala=f"3571{rng.randint(10**11, 10**12 - 1)}",
            alamat=f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}", rt=f"{rng.randint(1, 12):02d}", rw=f"{rng.randint(1, 6):02d}",
            kelurahan=rng.choices(kelurahan, weights)[0], kebutuhan=needs or [KebutuhanKeluarga.EDUKASI],
            status=status, tanggal_masuk=entered, tanggal_selesai=finished,
        ))
    families = KeluargaRisikoStunting.objects.bulk_create(families)
    for family in families:
        mother = f"{rng.choice(FIRST[:11] + FIRST[20:])} {rng.choice(LAST)}"
        kind = rng.random()
        if kind < 0.25:
            members.append(AnggotaKeluarga(keluarga=family, nama=mother, sasaran=Sasaran.IBU_HAMIL))
        else:
            if kind < 0.6:
                members.append(AnggotaKeluarga(keluarga=family, nama=mother, sasaran=Sasaran.IBU_MENYUSUI))
            for _ in range(rng.choice([1, 1, 1, 2])):
                born = today - datetime.timedelta(days=rng.randint(30, 58 * 30))
                members.append(AnggotaKeluarga(
                    keluarga=family, nama=f"{rng.choice(CHILD)} {family.kepala_keluarga.split()[-1]}",
                    sasaran=Sasaran.ANAK, tanggal_lahir=born,
                ))
    AnggotaKeluarga.objects.bulk_create(members)
    return families


def _channel(rng, kanal):
    return rng.choices([kanal["rumah-zakat"], kanal["baznas"], kanal["pemkot"]], weights=[70, 20, 10])[0]


class _Book:
    """The demo's year of money, simulated in memory in date order (so no pool is ever
    overdrawn) and then written in bulk; the database triggers and `reconcile()` check it all."""

    def __init__(self):
        self.accounts = {}  # key -> Akun (unsaved until flush)
        self.balance = {}  # key -> running balance
        self.entries = []  # (document kind, document kwargs, Transaksi, [(key, amount)])

    def key(self, jenis, kanal, **owner):
        key = (jenis, kanal.id, *(getattr(owner.get(f), "id", None) for f in ("orang_tua_asuh", "keluarga", "pendampingan")))
        if key not in self.accounts:
            existing = Akun.objects.filter(jenis=jenis, kanal=kanal, **owner).first() if jenis == JenisAkun.KAS else None
            self.accounts[key] = existing or Akun(jenis=jenis, kanal=kanal, **owner)
            self.balance[key] = existing.saldo if existing else 0
        return key

    def post(self, kind, document, kanal, tanggal, keterangan, legs):
        for key, amount in legs:
            self.balance[key] += amount
        transaksi = Transaksi(jenis=kind, kanal=kanal, tanggal=tanggal, keterangan=keterangan[:255])
        self.entries.append((kind, document, transaksi, legs))

    def flush(self):
        Akun.objects.bulk_create(a for a in self.accounts.values() if a.pk is None)
        Transaksi.objects.bulk_create([t for _, _, t, _ in self.entries])
        Entri.objects.bulk_create(
            Entri(transaksi=t, akun=self.accounts[key], jumlah=amount) for _, _, t, legs in self.entries for key, amount in legs
        )
        Donasi.objects.bulk_create(Donasi(transaksi=t, **doc) for kind, doc, t, _ in self.entries if kind == JenisTransaksi.DONASI)
        Penyaluran.objects.bulk_create(
            Penyaluran(transaksi=t, akun_sumber=self.accounts[doc.pop("sumber")], **doc)
            for kind, doc, t, _ in self.entries if kind == JenisTransaksi.PENYALURAN
        )


def _help_plan(rng, family, months):
    """{month index: [(jenis, lama_bulan, value)]}: a 6-month nutrition programme for families that
    need food (some as two 3-month packages), one-off water/latrine/house help, education."""
    plan = {}
    needs = family.kebutuhan
    if "nutrisi" in needs:
        first = rng.randint(0, max(0, len(months) - 4))
        if rng.random() < 0.2:
            for offset in (0, 3):
                plan.setdefault(first + offset, []).append((JenisBantuan.PAKET_NUTRISI, 3, 1_350_000))
        else:
            for offset in range(rng.choice([3, 4, 6, 6, 6, 6])):
                plan.setdefault(first + offset, []).append((JenisBantuan.PAKET_NUTRISI, 1, 450_000))
    for need, jenis, values in [("air_bersih", JenisBantuan.AIR_BERSIH, [1_500_000, 2_500_000, 3_000_000]),
                                ("jamban", JenisBantuan.JAMBAN, [2_500_000, 3_500_000, 5_000_000]),
                                ("rumah_layak", JenisBantuan.PERBAIKAN_RUMAH, [7_500_000, 10_000_000])]:
        if need in needs and rng.random() < 0.7:
            plan.setdefault(rng.randrange(len(months)), []).append((jenis, 1, rng.choice(values)))
    if "edukasi" in needs:
        for index in range(rng.randrange(3), len(months), 3):
            plan.setdefault(index, []).append((JenisBantuan.EDUKASI, 1, rng.choice([100_000, 150_000, 250_000])))
    return plan


def _ledger(rng, donors, families, start, today):
    kanal = {k.kode: k for k in Kanal.objects.all()}
    active = [f for f in families if f.status == StatusKeluarga.AKTIF]
    pairings = []
    pool = list(active)
    rng.shuffle(pool)
    for donor in donors:
        for family in [pool.pop() for _ in range(min(len(pool), rng.choice([1, 2, 3, 4])))]:
            pairings.append(Pendampingan(orang_tua_asuh=donor, keluarga=family,
                                         mulai=max(family.tanggal_masuk, donor.komitmen_mulai)))
    pairings = Pendampingan.objects.bulk_create(pairings)
    by_donor = {}
    for pairing in pairings:
        by_donor.setdefault(pairing.orang_tua_asuh_id, []).append(pairing)
    home = {donor.id: _channel(rng, kanal) for donor in donors}

    months = []
    month = _months_back(today, 11)
    while month <= today:
        months.append(month)
        month = _months_back(month + datetime.timedelta(days=40), 0)
    plans = {family.id: _help_plan(rng, family, months) for family in families}
    book = _Book()
    earmarks = {}  # (family id, kanal id) -> [account keys]
    counts = {"donasi": 0, "penyaluran": 0}
    for index, month in enumerate(months):
        last_day = min(today, _months_back(month + datetime.timedelta(days=40), 0) - datetime.timedelta(days=1))
        # Money and goods come in during the first ten days of the month.
        for donor in donors:
            day = min(last_day, month + datetime.timedelta(days=rng.randint(0, 9)))
            if day < donor.komitmen_mulai:
                continue
            due = {
                BentukKomitmen.BULANAN: rng.random() < 0.92,
                BentukKomitmen.SEKALI: index in (0, 6) and rng.random() < 0.8,
                BentukKomitmen.BARANG: index % 3 == 1,
                BentukKomitmen.KEGIATAN: index % 4 == 2,
            }[donor.komitmen_bentuk]
            if not due:
                continue
            pairs = by_donor.get(donor.id, [])
            in_kind = donor.komitmen_bentuk in (BentukKomitmen.BARANG, BentukKomitmen.KEGIATAN)
            channel = kanal["natura"] if in_kind else home[donor.id]
            earmark = rng.choice(pairs) if pairs and (in_kind or rng.random() < 0.3) else None
            amount = donor.komitmen_nominal // 2 if in_kind else donor.komitmen_nominal
            if earmark:
                target = book.key(JenisAkun.PERUNTUKAN, channel, pendampingan=earmark)
                earmarks.setdefault((earmark.keluarga_id, channel.id), [])
                if target not in earmarks[(earmark.keluarga_id, channel.id)]:
                    earmarks[(earmark.keluarga_id, channel.id)].append(target)
            else:
                target = book.key(JenisAkun.KAS, channel)
            counts["donasi"] += 1
            document = {
                "orang_tua_asuh": donor, "kanal": channel, "tanggal": day, "jumlah": amount,
                "bentuk": (BentukDonasi.BARANG if donor.komitmen_bentuk == BentukKomitmen.BARANG else BentukDonasi.KEGIATAN)
                if in_kind else BentukDonasi.UANG,
                "uraian": donor.komitmen_uraian if in_kind else "",
                "referensi": "" if in_kind else f"{channel.kode[:2].upper()}-{day:%y%m}-{donor.id:05d}",
                "untuk_pendampingan": earmark,
            }
            donor_key = book.key(JenisAkun.DONATUR, channel, orang_tua_asuh=donor)
            book.post(JenisTransaksi.DONASI, document, channel, day, f"Donasi {donor}", [(target, amount), (donor_key, -amount)])
        # Help goes out from the 12th: earmarks first, then the pools, never beyond what is there.
        for family in active:
            for jenis, lama, value in plans[family.id].get(index, []):
                day = min(last_day, month + datetime.timedelta(days=rng.randint(11, 27)))
                if day < family.tanggal_masuk or day < month:
                    continue
                channels = (["natura"] if jenis == JenisBantuan.PAKET_NUTRISI else []) + ["rumah-zakat", "baznas", "pemkot"]
                for kode in channels:
                    channel = kanal[kode]
                    candidates = earmarks.get((family.id, channel.id), []) + [book.key(JenisAkun.KAS, channel)]
                    source = next((key for key in candidates if book.balance[key] >= value), None)
                    if source is None:
                        continue
                    received = book.key(JenisAkun.KELUARGA, channel, keluarga=family)
                    document = {
                        "keluarga": family, "jenis": jenis, "lama_bulan": lama, "kanal": channel, "sumber": source,
                        "jumlah": value, "tanggal": day,
                        "uraian": "Paket telur, susu, beras, dan sayur" if jenis == JenisBantuan.PAKET_NUTRISI else "",
                    }
                    book.post(JenisTransaksi.PENYALURAN, document, channel, day,
                              f"{JenisBantuan(jenis).label} untuk {family.kode}", [(received, value), (source, -value)])
                    counts["penyaluran"] += 1
                    break
    book.flush()
    return counts, len(pairings)


def _corrections(rng, today):
    """A few mistakes corrected the proper way: reversed with a reason (through the service)."""
    done = 0
    for penyaluran in Penyaluran.objects.order_by("?")[:3]:
        services.reverse_transaction(transaksi=penyaluran.transaksi, alasan="Salah input nilai; dicatat ulang", tanggal=today, user=SYSTEM)
        done += 1
    return done


def link_children():
    """Link child members to balita's children of the same kelurahan and a close age (once)."""
    if AnggotaKeluarga.objects.filter(anak__isnull=False).exists():
        return 0
    today = _demo_end()
    candidates = {}
    for anak in Anak.objects.filter(tanggal_lahir__gt=today - datetime.timedelta(days=59 * 30)).order_by("id"):
        candidates.setdefault(anak.kelurahan_id, []).append(anak)
    if not candidates:
        return 0
    linked = []
    for member in AnggotaKeluarga.objects.filter(sasaran=Sasaran.ANAK, anak__isnull=True).select_related("keluarga"):
        pool = candidates.get(member.keluarga.kelurahan_id)
        if pool:
            anak = pool.pop()
            member.anak, member.nama, member.tanggal_lahir = anak, anak.nama, anak.tanggal_lahir
            linked.append(member)
    AnggotaKeluarga.objects.bulk_update(linked, ["anak", "nama", "tanggal_lahir"])
    return len(linked)


def _demo_end():
    """The demo's year ends with balita's latest measurement when there is one (so the growth of
    helped children can be followed), else today."""
    today = timezone.localdate()
    last = nutrition_figures.latest_measurement_date(SYSTEM)
    return min(today, last) if last else today


def load(stdout=None, seed=2025):
    write = stdout.write if stdout else (lambda text: None)
    if not OrangTuaAsuh.objects.exists():
        rng = random.Random(seed)
        today = _demo_end()
        start = _months_back(today, 11)
        with transaction.atomic():
            donors = _foster_parents(rng, start)
            families = _families(rng, start, today)
            counts, pairings = _ledger(rng, donors, families, start, today)
            counts["koreksi"] = _corrections(rng, today)
        problems = reconcile()
        if problems:
            raise RuntimeError("GENTING demo ledger does not reconcile: " + "; ".join(problems[:5]))
        write(f"GENTING: {len(donors)} orang tua asuh, {len(families)} keluarga, {pairings} pendampingan, "
              f"{counts['donasi']} donasi, {counts['penyaluran']} penyaluran, {counts['koreksi']} koreksi; buku besar cocok.")
    linked = link_children()
    if linked:
        write(f"GENTING: {linked} anak dihubungkan dengan data balita.")
