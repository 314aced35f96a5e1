"""Long organiser actions as background jobs with a progress page (issue 14, item 4).

A feature starts a job with `services.start_job(kind=..., actor=..., round_=..., params=...)`: a `BackgroundJob` row
and a procrastinate job, deferred in the same transaction. Its task (the feature's own, e.g.
judging/scoring/jobs.py) calls `services.run_job(job_id, work)`, and `work(job)` reports its progress with
`services.report_progress(job, done, total)` and returns a `services.FileResult` or a `services.SummaryResult`.
The person who asked and the organisers follow it at /tugas/<id>/ (views.py).
"""
