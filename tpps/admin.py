from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Opd, Penugasan, Posyandu, Puskesmas, User


class PenugasanInline(admin.TabularInline):
    model = Penugasan
    extra = 1
    autocomplete_fields = ["opd", "puskesmas", "kelurahan"]


@admin.register(User)
class PenggunaAdmin(UserAdmin):
    inlines = [PenugasanInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "peran"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Data diri", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description="Peran")
    def peran(self, obj):
        return ", ".join(str(p) for p in obj.penugasan.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("penugasan__opd", "penugasan__puskesmas", "penugasan__kelurahan")


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama"]
    search_fields = ["nama"]


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "kecamatan"]
    list_filter = ["kecamatan"]
    search_fields = ["nama", "kode"]


@admin.register(Puskesmas)
class PuskesmasAdmin(admin.ModelAdmin):
    list_display = ["nama", "kecamatan"]
    filter_horizontal = ["kelurahan"]
    search_fields = ["nama"]


@admin.register(Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    list_display = ["nama", "kelurahan", "aktif"]
    list_filter = ["aktif", "kelurahan__kecamatan", "kelurahan"]
    search_fields = ["nama", "kelurahan__nama"]
    autocomplete_fields = ["kelurahan"]


@admin.register(LokusKelurahan)
class LokusKelurahanAdmin(admin.ModelAdmin):
    list_display = ["tahun", "kelurahan"]
    list_filter = ["tahun"]
    autocomplete_fields = ["kelurahan"]


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ["singkatan", "nama", "kode"]
    search_fields = ["singkatan", "nama"]
