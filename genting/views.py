"""GENTING pages: dashboard, foster parents, families, donations, disbursements, ledger.

Views parse the request, call selectors/services and render; rows always come through
`for_user()`; an HTMX request gets the page's named partial.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from genting import selectors, services, statement
from kasus import selectors as kasus_selectors
from genting.forms import (
    AnggotaForm,
    BuktiForm,
    DonasiForm,
    KeluargaForm,
    OrangTuaAsuhForm,
    PembalikanForm,
    PendampinganForm,
    PenyaluranForm,
)
from genting.models import (
    Akun,
    Donasi,
    Entri,
    JenisBantuan,
    JenisOrangTuaAsuh,
    Kanal,
    KelompokSasaran,
    KeluargaRisikoStunting,
    OrangTuaAsuh,
    Pendampingan,
    Penyaluran,
    StatusKeluarga,
    Transaksi,
)
from tpps import submissions
from tpps.access import role_required
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.models import Kelurahan
from tpps.roles import CHILD_READERS, CITY_EDITORS, CITY_ROLES, DATA_EDITORS, access_for

# Two requests recording the same transfer at once: the second one's message.
UNIQUE_DONATION = {"donasi_referensi_unik": ("referensi", "Referensi ini baru saja dicatat untuk donasi lain "
                                                          "pada kanal yang sama.")}
UNIQUE_MEMBER = {"anggota_satu_per_anak": ("anak", "Data anak ini baru saja dihubungkan ke anggota keluarga lain.")}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _year(request):
    """The year asked for, else the latest year with ledger transactions (or this year)."""
    year = _int(request.GET.get("tahun"))
    return year if year and 2000 <= year <= 2100 else selectors.latest_year()


def _can_enter(user):
    return access_for(user).has(*CITY_EDITORS)


# --- Dashboard --------------------------------------------------------------------------------

@role_required(*CHILD_READERS)
def index(request):
    access = access_for(request.user)
    year = _year(request)
    groups = selectors.families_helped_by_target_group(request.user, year)
    context = {
        "tahun": year,
        "years": selectors.years_with_data(),
        "totals": selectors.genting_totals(request.user, year),
        "balances": selectors.channel_balances() if access.city_wide else None,
        "categories": selectors.families_helped_by_category(request.user, year),
        "kelompok": KelompokSasaran.choices,
        "groups": [(label, groups[code]) for code, label in KelompokSasaran.choices],
        "kinds": selectors.families_helped_by_kind(request.user, year),
        "kelurahan_rows": selectors.families_helped_by_kelurahan(request.user, year),
        "can_enter": _can_enter(request.user),
    }
    return render_page(request, "genting/index.html", context, "figures")


# --- Foster parents ---------------------------------------------------------------------------

@role_required(*CHILD_READERS)
def ota_list(request):
    q, jenis = request.GET.get("q", "").strip(), request.GET.get("jenis", "")
    rows = selectors.foster_parents(request.user, q=q, jenis=jenis)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "jenis": jenis, "jenis_choices": JenisOrangTuaAsuh.choices,
               "can_enter": _can_enter(request.user)}
    return render_page(request, "genting/ota_list.html", context, "rows")


def _ota_context(request, ota, pendampingan_form=None):
    user = request.user
    visible = set(KeluargaRisikoStunting.objects.for_user(user).values_list("id", flat=True))
    pairings = list(
        Pendampingan.objects.for_user(user).filter(orang_tua_asuh=ota).select_related("keluarga__kelurahan")
    )
    family_ids = {p.keluarga_id for p in pairings}
    help_rows = (
        Penyaluran.objects.for_user(user).berlaku().filter(keluarga__in=family_ids)
        .select_related("kanal").order_by("keluarga", "-tanggal")
    )
    help_by_family = {}
    for row in help_rows:
        help_by_family.setdefault(row.keluarga_id, []).append(row)
    for pairing in pairings:
        pairing.help = help_by_family.get(pairing.keluarga_id, [])
        pairing.received = sum(p.jumlah for p in pairing.help)
    given = selectors.given_by_channel(ota)
    total_given = sum(amount for _, amount in given)
    return {
        "ota": ota,
        "given": given,
        "total_given": total_given,
        "due": ota.komitmen_jatuh_tempo(timezone.localdate()),
        "attribution": selectors.donor_attribution(ota) if Donasi.objects.for_user(user).filter(orang_tua_asuh=ota).exists() else [],
        "pairings": pairings,
        "visible": visible,
        "can_enter": _can_enter(user),
        "pendampingan_form": pendampingan_form or (
            submissions.with_token(PendampinganForm(user=user)) if _can_enter(user) else None),
    }


@role_required(*CHILD_READERS)
def ota_detail(request, pk):
    ota = get_object_or_404(OrangTuaAsuh.objects.for_user(request.user), pk=pk)
    return render_page(request, "genting/ota_detail.html", _ota_context(request, ota))


@role_required(*CITY_EDITORS)
def ota_form(request, pk=None):
    ota = get_object_or_404(OrangTuaAsuh.objects.for_user(request.user, "change"), pk=pk) if pk else None
    form = OrangTuaAsuhForm(request.POST or None, instance=ota)
    if ota is None:
        submissions.with_token(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                ota = form.save()
                sent.jawaban = reverse("genting:ota_detail", kwargs={"pk": ota.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Data orang tua asuh {ota} tersimpan.")
            return redirect("genting:ota_detail", pk=ota.pk)
    return render_page(request, "genting/ota_form.html", {"form": form, "ota": ota}, invalid=request.method == "POST")


@role_required(*CITY_EDITORS)
def pendampingan_create(request, pk):
    ota = get_object_or_404(OrangTuaAsuh.objects.for_user(request.user, "change"), pk=pk)
    if request.method != "POST":
        return redirect("genting:ota_detail", pk=pk)
    form = submissions.with_token(PendampinganForm(request.POST, user=request.user))
    if form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                pairing = form.save(commit=False)
                pairing.orang_tua_asuh, pairing.dicatat_oleh = ota, request.user
                pairing.save()
                sent.jawaban = reverse("genting:ota_detail", kwargs={"pk": pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{ota} kini mendampingi keluarga {pairing.keluarga.kode}.")
            return redirect("genting:ota_detail", pk=pk)
    return render_page(request, "genting/ota_detail.html", _ota_context(request, ota, form), invalid=True)


@role_required(*CITY_ROLES)
def ota_statement(request, pk):
    ota = get_object_or_404(OrangTuaAsuh.objects.for_user(request.user), pk=pk)
    pdf = statement.render_statement(ota, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-donatur-{ota.pk}.pdf"'
    catat_akses(request, UNDUH, OrangTuaAsuh, None, f"Laporan donatur {ota} (PDF)", objek=ota.pk)
    return response


# --- Families ---------------------------------------------------------------------------------

@role_required(*CHILD_READERS)
def keluarga_list(request):
    q = request.GET.get("q", "").strip()
    kelurahan_id, status = _int(request.GET.get("kelurahan")), request.GET.get("status", "")
    if not access_for(request.user).can_see_personal_data:
        q = ""  # searching by name would reveal names to roles that may not see them
    rows = selectors.families(request.user, q=q, kelurahan_id=kelurahan_id, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    catat_akses(request, LIHAT, KeluargaRisikoStunting, len(page.object_list), "Daftar keluarga berisiko stunting")
    context = {
        "page": page, "q": q, "kelurahan_id": kelurahan_id, "status": status,
        "kelurahan_choices": Kelurahan.objects.for_user(request.user).filter(keluarga_genting__isnull=False).distinct(),
        "status_choices": StatusKeluarga.choices,
        "can_edit": access_for(request.user).can_edit_area_data,
    }
    return render_page(request, "genting/keluarga_list.html", context, "rows")


def _keluarga_context(request, keluarga, anggota_form=None):
    user = request.user
    help_rows = keluarga.penyaluran.select_related("kanal", "transaksi__pembalikan").order_by("-tanggal", "-id")
    received = selectors.received_by_channel(keluarga)
    growth = selectors.child_growth(keluarga, user)
    # The nutrition cases of the same children (tata laksana gizi): the outcomes the case pages show.
    cases = kasus_selectors.cases_of_children(user, [g["anggota"].anak_id for g in growth])
    for entry in growth:
        entry["kasus"] = cases.get(entry["anggota"].anak_id, [])
    context = {
        "keluarga": keluarga,
        "anggota": keluarga.anggota.select_related("anak").all(),
        "today": timezone.localdate(),
        "pairings": Pendampingan.objects.for_user(user).filter(keluarga=keluarga).select_related("orang_tua_asuh"),
        "help_rows": help_rows,
        "received": received,
        "total_received": sum(amount for _, amount in received),
        "earmarks": selectors.earmark_balances(keluarga),
        "growth": growth,
        "can_edit": access_for(user).can_edit_area_data,
        "can_enter": _can_enter(user),
    }
    if context["can_edit"]:
        context["anggota_form"] = anggota_form or submissions.with_token(AnggotaForm(user=user, keluarga=keluarga))
    return context


@role_required(*CHILD_READERS)
def keluarga_detail(request, pk):
    keluarga = get_object_or_404(KeluargaRisikoStunting.objects.for_user(request.user).select_related("kelurahan"), pk=pk)
    return render_page(request, "genting/keluarga_detail.html", _keluarga_context(request, keluarga))


@role_required(*DATA_EDITORS)
def keluarga_form(request, pk=None):
    keluarga = get_object_or_404(KeluargaRisikoStunting.objects.for_user(request.user, "change"), pk=pk) if pk else None
    form = KeluargaForm(request.POST or None, instance=keluarga, user=request.user)
    if keluarga is None:
        submissions.with_token(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                keluarga = form.save()
                sent.jawaban = reverse("genting:keluarga_detail", kwargs={"pk": keluarga.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Data keluarga {keluarga.kode} tersimpan.")
            return redirect("genting:keluarga_detail", pk=keluarga.pk)
    return render_page(request, "genting/keluarga_form.html", {"form": form, "keluarga": keluarga}, invalid=request.method == "POST")


@role_required(*DATA_EDITORS)
def anggota_create(request, pk):
    keluarga = get_object_or_404(KeluargaRisikoStunting.objects.for_user(request.user, "change").select_related("kelurahan"), pk=pk)
    if request.method != "POST":
        return redirect("genting:keluarga_detail", pk=pk)
    form = submissions.with_token(AnggotaForm(request.POST, user=request.user, keluarga=keluarga))
    if form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE_MEMBER) as sent:
                member = form.save()
                sent.jawaban = reverse("genting:keluarga_detail", kwargs={"pk": pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            if not request.htmx:
                messages.success(request, f"Anggota {member.nama} ditambahkan.")
                return redirect("genting:keluarga_detail", pk=pk)
            form = None
    context = _keluarga_context(request, keluarga, form)
    return render_page(request, "genting/keluarga_detail.html", context, "members", invalid=form is not None)


# --- Donations ----------------------------------------------------------------------------------

@role_required(*CITY_ROLES)
def donasi_list(request):
    kanal_id = _int(request.GET.get("kanal"))
    rows = Donasi.objects.for_user(request.user).select_related(
        "orang_tua_asuh", "kanal", "transaksi__pembalikan", "untuk_keluarga", "untuk_pendampingan__keluarga"
    )
    if kanal_id:
        rows = rows.filter(kanal_id=kanal_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "kanal_id": kanal_id, "kanal_choices": Kanal.objects.all(), "can_enter": _can_enter(request.user)}
    return render_page(request, "genting/donasi_list.html", context, "rows")


@role_required(*CITY_EDITORS)
def donasi_create(request):
    initial = {"orang_tua_asuh": _int(request.GET.get("ota")), "untuk_keluarga": _int(request.GET.get("keluarga"))}
    form = submissions.with_token(DonasiForm(request.POST or None, user=request.user, initial=initial))
    saved = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submissions.once(request, form, unique=UNIQUE_DONATION) as sent:
                saved = services.record_donation(
                    orang_tua_asuh=data["orang_tua_asuh"], bentuk=data["bentuk"], kanal=data["kanal"],
                    jumlah=data["jumlah"], tanggal=data["tanggal"], referensi=data["referensi"], uraian=data["uraian"],
                    untuk_keluarga=data["untuk_keluarga"], untuk_pendampingan=data["untuk_pendampingan"],
                    user=request.user,
                )
                sent.jawaban = reverse("genting:ota_detail", kwargs={"pk": saved.orang_tua_asuh_id})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
    if saved and not request.htmx:
        messages.success(request, f"Donasi {saved.orang_tua_asuh} sebesar Rp {saved.jumlah:,} tersimpan.".replace(",", "."))
        return redirect("genting:ota_detail", pk=saved.orang_tua_asuh_id)
    if saved:
        # Ready for the next entry: same channel and date, amounts cleared.
        form = submissions.with_token(DonasiForm(user=request.user, initial={"kanal": saved.kanal_id, "tanggal": saved.tanggal,
                                                                             "bentuk": saved.bentuk}))
    context = {"form": form, "saved": saved, "balances": selectors.channel_balances()}
    return render_page(request, "genting/donasi_form.html", context, "entry", invalid=request.method == "POST" and not saved)


# --- Disbursements ------------------------------------------------------------------------------

@role_required(*CHILD_READERS)
def penyaluran_list(request):
    jenis = request.GET.get("jenis", "")
    rows = Penyaluran.objects.for_user(request.user).select_related("keluarga__kelurahan", "kanal", "transaksi__pembalikan")
    if jenis:
        rows = rows.filter(jenis=jenis)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "jenis": jenis, "jenis_choices": JenisBantuan.choices, "can_enter": _can_enter(request.user)}
    return render_page(request, "genting/penyaluran_list.html", context, "rows")


def _sources_for(request, data):
    """Source accounts for the family and channel named in `data`, within the user's scope."""
    keluarga = KeluargaRisikoStunting.objects.for_user(request.user).filter(pk=_int(data.get("keluarga"))).first()
    kanal = Kanal.objects.filter(pk=_int(data.get("kanal")), aktif=True).first() or Kanal.objects.filter(aktif=True).first()
    if keluarga is None or kanal is None:
        return keluarga, kanal, [services.account("kas", kanal)] if kanal else []
    return keluarga, kanal, services.source_accounts(keluarga, kanal)


@role_required(*CITY_EDITORS)
def penyaluran_create(request):
    data = request.POST if request.method == "POST" else request.GET
    keluarga, kanal, sources = _sources_for(request, data)
    initial = {"keluarga": keluarga.pk if keluarga else None, "kanal": kanal.pk if kanal else None}
    form = submissions.with_token(
        PenyaluranForm(request.POST or None, request.FILES or None, user=request.user, sources=sources, initial=initial))
    saved = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with submissions.once(request, form) as sent:
                saved = services.record_disbursement(
                    keluarga=d["keluarga"], jenis=d["jenis"], kanal=d["kanal"], akun_sumber=d["akun_sumber"],
                    jumlah=d["jumlah"], tanggal=d["tanggal"], lama_bulan=d["lama_bulan"] or 1, uraian=d["uraian"],
                    bukti=d.get("bukti"), bukti_tipe=getattr(form, "bukti_tipe", ""), user=request.user,
                )
                sent.jawaban = reverse("genting:keluarga_detail", kwargs={"pk": saved.keluarga_id})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
    if saved and not request.htmx:
        messages.success(request, f"Penyaluran untuk {saved.keluarga.kode} tersimpan.")
        return redirect("genting:keluarga_detail", pk=saved.keluarga_id)
    if saved:
        sources = services.source_accounts(saved.keluarga, saved.kanal)
        form = submissions.with_token(PenyaluranForm(user=request.user, sources=sources,
                                                     initial={"kanal": saved.kanal_id, "tanggal": saved.tanggal, "jenis": saved.jenis}))
    context = {"form": form, "saved": saved, "sources": _fresh(sources), "balances": selectors.channel_balances()}
    return render_page(request, "genting/penyaluran_form.html", context, "entry", invalid=request.method == "POST" and not saved)


def _fresh(accounts):
    """Reload balances (they may have changed in this request) keeping the order."""
    current = Akun.objects.in_bulk([a.pk for a in accounts])
    for account in accounts:
        account.saldo = current[account.pk].saldo
    return accounts


@role_required(*CITY_EDITORS)
def penyaluran_sumber(request):
    """HTMX: the source-of-funds choices for the family and channel picked in the form."""
    keluarga, kanal, sources = _sources_for(request, request.GET)
    form = PenyaluranForm(user=request.user, sources=sources)
    return render_page(request, "genting/penyaluran_form.html", {"form": form, "sources": sources}, "sources", always=True)


@role_required(*CHILD_READERS)
def penyaluran_bukti(request, pk):
    penyaluran = get_object_or_404(Penyaluran.objects.for_user(request.user), pk=pk)
    if not penyaluran.bukti:
        raise Http404("Penyaluran ini belum punya bukti.")
    try:
        handle = penyaluran.bukti.open("rb")
    except FileNotFoundError as error:
        raise Http404("Berkas bukti tidak ditemukan.") from error
    response = FileResponse(handle, content_type=penyaluran.bukti_tipe or "application/octet-stream")
    response["Content-Disposition"] = f'inline; filename="bukti-penyaluran-{penyaluran.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*CITY_EDITORS)
def penyaluran_bukti_unggah(request, pk):
    """Attach the photo or receipt of a delivery afterwards (the only column that may change)."""
    penyaluran = get_object_or_404(Penyaluran.objects.for_user(request.user, "change"), pk=pk)
    if request.method != "POST":
        return redirect("genting:keluarga_detail", pk=penyaluran.keluarga_id)
    form = BuktiForm(request.POST, request.FILES)
    if penyaluran.bukti:
        messages.error(request, "Penyaluran ini sudah punya bukti.")
    elif form.is_valid():
        penyaluran.bukti, penyaluran.bukti_tipe = form.cleaned_data["bukti"], form.bukti_tipe
        penyaluran.save(update_fields=["bukti", "bukti_tipe"])
        messages.success(request, f"Bukti penyaluran {penyaluran.tanggal:%d-%m-%Y} untuk {penyaluran.keluarga.kode} tersimpan.")
    else:
        messages.error(request, "Bukti belum tersimpan: " + " ".join(form.errors.get("bukti", [])))
    return redirect("genting:keluarga_detail", pk=penyaluran.keluarga_id)


# --- Ledger and corrections ---------------------------------------------------------------------

@role_required(*CITY_ROLES)
def buku_besar(request):
    rows = Transaksi.objects.select_related(
        "kanal", "dicatat_oleh", "membalik", "pembalikan", "donasi__orang_tua_asuh", "penyaluran__keluarga"
    ).prefetch_related(Prefetch("entri", queryset=Entri.objects.select_related(
        "akun__kanal", "akun__keluarga", "akun__orang_tua_asuh", "akun__pendampingan__orang_tua_asuh",
        "akun__pendampingan__keluarga",
    ))).order_by("-id")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    context = {"page": page, "balances": selectors.channel_balances(), "can_enter": _can_enter(request.user)}
    return render_page(request, "genting/buku_besar.html", context, "rows")


@role_required(*CITY_EDITORS)
def transaksi_batalkan(request, pk):
    transaksi = get_object_or_404(
        Transaksi.objects.select_related("kanal", "donasi__orang_tua_asuh", "penyaluran__keluarga"), pk=pk
    )
    form = PembalikanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.reverse_transaction(transaksi=transaksi, alasan=form.cleaned_data["alasan"], user=request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Transaksi T{transaksi.pk} dibalik oleh T{reversal.pk}.")
            return redirect(_after_reversal(transaksi))
    context = {"transaksi": transaksi, "form": form, "entri": transaksi.entri.select_related("akun__kanal")}
    return render_page(request, "genting/batalkan.html", context, invalid=request.method == "POST")


def _after_reversal(transaksi):
    if hasattr(transaksi, "donasi"):
        return reverse("genting:ota_detail", kwargs={"pk": transaksi.donasi.orang_tua_asuh_id})
    if hasattr(transaksi, "penyaluran"):
        return reverse("genting:keluarga_detail", kwargs={"pk": transaksi.penyaluran.keluarga_id})
    return reverse("genting:buku_besar")

