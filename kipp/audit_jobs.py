"""The audit chain's periodic check, on the task queue (procrastinate): every hour, the same check as
`manage.py verify_audit`; its last result shows on the organisers' dashboard. Safe to run twice (it only reads
the log and adds one row of results)."""

from procrastinate.contrib.django import app

from kipp.audit import check_and_record


@app.periodic(cron="17 * * * *", periodic_id="verify_audit")
@app.task(name="kipp.verify_audit", queueing_lock="kipp.verify_audit")
def verify_audit(timestamp):
    check_and_record()
