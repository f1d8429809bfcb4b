"""Login lockouts (django-axes, per username and address; tpps.views, per address): who failed to
log in from where, which pairs and addresses are locked and until when, and an unlock button
(POST, audited through tpps.PembukaanKunci)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from tpps.access import role_required
from tpps.errors import UserError
from tpps.htmx import render_page
from tpps.kelola import selectors, services
from tpps.roles import Role


@role_required(Role.ADMIN)
def kunci_list(request):
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "rows": selectors.failed_logins(q=q), "alamat_terkunci": selectors.locked_addresses(),
        "unlocks": selectors.unlocks(), "q": q,
        "batas": settings.AXES_FAILURE_LIMIT, "batas_alamat": settings.AXES_ADDRESS_FAILURE_LIMIT,
        "menit": round(settings.AXES_COOLOFF_TIME * 60),
    }
    return render_page(request, "tpps/kelola/kunci.html", context, "rows")


@role_required(Role.ADMIN)
def kunci_buka(request):
    if request.method != "POST":
        return redirect("kelola:kunci_list")
    username = request.POST.get("username", "")[:255] or None
    alamat = request.POST.get("alamat", "")[:45] or None
    try:
        record = services.unlock(request.user, username=username, alamat=alamat)
    except UserError as error:
        messages.error(request, str(error))
    else:
        who = f"nama pengguna “{record.nama_pengguna}”" if record.nama_pengguna else "semua nama pengguna"
        messages.success(request, f"Kunci masuk dibuka untuk {who} dari alamat {record.alamat or 'mana pun'} "
                                  f"({record.gagal} kali gagal dilupakan).")
    return redirect("kelola:kunci_list")
