"""Background jobs of the laporan app (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from laporan import services
from laporan.models import PaketEvaluasi


@task()
def build_pack_task(pack_id: int) -> int:
    """Build one evaluation pack; returns its size in bytes."""
    pack = PaketEvaluasi.objects.get(pk=pack_id)
    return services.build_pack(pack).ukuran

