from django.shortcuts import render

from tpps.access import role_required
from tpps.roles import ALL_ROLES


@role_required(*ALL_ROLES)
def index(request):
    return render(request, "laporan/index.html")
