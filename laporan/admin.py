"""Management site entries of the laporan app (Admin role)."""

from django.contrib import admin

from laporan.models import KabKota, TargetTahunan


@admin.register(TargetTahunan)
class TargetTahunanAdmin(admin.ModelAdmin):
    list_display = ["tahun", "target_prevalensi", "target_cakupan", "keterangan"]
    ordering = ["-tahun"]


@admin.register(KabKota)
class KabKotaAdmin(admin.ModelAdmin):
    """The 38 kab/kota of Jawa Timur come from a data migration; shown for reference."""

    list_display = ["kode", "jenis", "nama"]
    list_filter = ["jenis"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
