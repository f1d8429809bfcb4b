from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import FieldDoesNotExist, ValidationError

from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Opd, Penugasan, Posyandu, Puskesmas, User


class ReadableInitial:
    """The add page takes initial values from the query string (?kelurahan=5); an autocomplete
    widget looks such a value up and crashed on text it cannot read (?kelurahan=abc). Values a
    field cannot read are dropped: the page opens empty instead."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
                if field.concrete and not field.many_to_many:
                    (field.target_field if field.is_relation else field).clean(value, None)
            except FieldDoesNotExist:
                continue
            except ValidationError:
                del initial[name]
        return initial


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
class PosyanduAdmin(ReadableInitial, admin.ModelAdmin):
    list_display = ["nama", "kelurahan", "aktif"]
    list_filter = ["aktif", "kelurahan__kecamatan", "kelurahan"]
    search_fields = ["nama", "kelurahan__nama"]
    autocomplete_fields = ["kelurahan"]


@admin.register(LokusKelurahan)
class LokusKelurahanAdmin(ReadableInitial, admin.ModelAdmin):
    list_display = ["tahun", "kelurahan"]
    list_filter = ["tahun"]
    autocomplete_fields = ["kelurahan"]


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ["singkatan", "nama", "kode"]
    search_fields = ["singkatan", "nama"]
