"""Background jobs of balita (django-tasks; run by `manage.py db_worker`): checking an uploaded
e-PPGBM file for the preview, and importing it. Both can take a minute on a city-wide export;
the batch page follows their progress and the user may leave it meanwhile."""

from django_tasks import task

from balita import services
from balita.models import ImporBatch


@task()
def check_import_task(batch_id: int) -> str:
    batch = services.check_import(ImporBatch.objects.get(pk=batch_id))
    return batch.status


@task()
def run_import_task(batch_id: int) -> str:
    batch = services.run_import(ImporBatch.objects.get(pk=batch_id))
    return batch.status
