from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tpps import views
from tpps.forms import KataSandiBaruForm

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(form_class=KataSandiBaruForm), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("audit/", views.audit_log, name="audit_log"),
    path("pilih/<slug:sumber>/", views.pilih, name="pilih"),
    path("balita/", include("balita.urls")),
    path("konvergensi/", include("konvergensi.urls")),
    path("genting/", include("genting.urls")),
    path("rekomendasi/", include("rekomendasi.urls")),
    path("laporan/", include("laporan.urls")),
    path("kasus/", include("kasus.urls")),
    path("panduan/", include("panduan.urls")),
    path("sasaran/", include("sasaran.urls")),
    path("ibuhamil/", include("ibuhamil.urls")),
    # The stock admin stays as a fallback for the Admin role; daily management is /kelola/.
    path("kelola/lanjutan/", admin.site.urls),
    path("kelola/", include("tpps.kelola.urls")),
]

handler400 = "tpps.views.error_400"
handler403 = "tpps.views.error_403"
handler404 = "tpps.views.error_404"
handler500 = "tpps.views.error_500"

if settings.DEBUG:
    # Error pages reachable in development to check their look.
    urlpatterns += [path("__500/", views.error_500)]
