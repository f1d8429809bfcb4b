"""Management site (Admin only): the yearly expected outputs and responsible OPDs, assessment
dates, and the indicator catalogue with yearly targets."""

from django.contrib import admin

from konvergensi.models import AksiTahunan, Indikator, KeluaranAksi, PenanggungJawabAksi, TahunPenilaian, TargetIndikator


class KeluaranInline(admin.TabularInline):
    model = KeluaranAksi
    extra = 1
    fields = ["urutan", "nama", "wajib", "keterangan"]


class PenanggungJawabInline(admin.TabularInline):
    model = PenanggungJawabAksi
    extra = 1
    autocomplete_fields = ["opd"]


@admin.register(AksiTahunan)
class AksiTahunanAdmin(admin.ModelAdmin):
    list_display = ["aksi", "tahun", "status"]
    list_filter = ["tahun", "status"]
    fields = ["aksi", "tahun", "status", "rencana_mulai", "rencana_selesai", "realisasi_mulai", "realisasi_selesai", "narasi"]
    readonly_fields = ["aksi", "tahun"]
    inlines = [PenanggungJawabInline, KeluaranInline]

    def has_add_permission(self, request):
        return False  # years are opened from the action board (all eight actions at once)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TahunPenilaian)
class TahunPenilaianAdmin(admin.ModelAdmin):
    list_display = ["tahun", "tanggal_penilaian", "catatan"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TargetInline(admin.TabularInline):
    model = TargetIndikator
    extra = 1


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["nama", "opd", "satuan", "arah", "jenis", "hitung_otomatis", "aktif"]
    list_filter = ["jenis", "opd", "aktif"]
    search_fields = ["nama", "kode"]
    inlines = [TargetInline]
    prepopulated_fields = {"kode": ["nama"]}
