"""The task queue's own upkeep for background jobs (listed in settings.PROCRASTINATE_IMPORT_PATHS).

retry_stalled_jobs: procrastinate 3.10 marks a job "doing" when a worker takes it; when that worker dies (killed,
machine lost) the job stays "doing" for ever. Every worker sends a heartbeat (update_heartbeat_interval, 10 s by
default); this periodic task, run by whichever worker is up, finds the jobs of workers whose heartbeat is older
than their stalled_worker_timeout (30 s by default; settings.PROCRASTINATE_WORKER_DEFAULTS) and puts them back in
the queue (JobManager.get_stalled_jobs + retry_job, as procrastinate's documentation recommends). A background job
run again starts from the beginning and has its effect once (kipp.jobs.services.run_job).
"""

import logging

from django.conf import settings
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


def stalled_after_seconds():
    return float((settings.PROCRASTINATE_WORKER_DEFAULTS or {}).get("stalled_worker_timeout", 30))


UPKEEP_QUEUE = "kipp_upkeep"  # this task's own queue: its finished runs are removed after an hour (below)


@app.periodic(cron="* * * * * */10")  # every 10 seconds (croniter: the sixth field is the second)
@app.task(
    name="kipp.jobs.retry_stalled_jobs",
    queue=UPKEEP_QUEUE,
    queueing_lock="kipp.jobs.retry_stalled_jobs",
    pass_context=True,
)
async def retry_stalled_jobs(context, timestamp):
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_seconds())
    for job in stalled:
        logger.warning("retrying stalled job %s (%s)", job.id, job.task_name)
        await manager.retry_job(job)
    await manager.delete_old_jobs(nb_hours=1, queue=UPKEEP_QUEUE)  # 360 runs an hour: keep the table small
