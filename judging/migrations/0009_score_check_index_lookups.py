from django.db import migrations

# The statement-level score check joins the transition table to criteria, sheets and assignments. On a table whose
# statistics say "empty" (vacuumed while empty, rows added since: a fresh database, a test run, a new competition)
# the planner expects one row everywhere and nests loops over sequential scans: a bulk insert of 100,000 scores then
# ran for minutes. The check is always a primary-key lookup per new row, so say so: no sequential scans inside it.

FORWARD = "ALTER FUNCTION judging_score_check_rows() SET enable_seqscan = off;"
BACKWARD = "ALTER FUNCTION judging_score_check_rows() RESET enable_seqscan;"


class Migration(migrations.Migration):
    dependencies = [("judging", "0008_score_check_per_statement")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
