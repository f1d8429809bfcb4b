from django.shortcuts import render

from tpps.access import role_required
from tpps.roles import Role


@role_required(Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.PIMPINAN)
def index(request):
    return render(request, "balita/index.html")
