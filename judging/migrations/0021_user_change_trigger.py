"""kipp 0016 dropped the column `role` of kipp_user, and with it (DROP COLUMN ... CASCADE) the statement trigger of
judging 0010 that noted a change of a judge's name, email, role or activity for the dashboard's cache. The same
trigger again, on the columns that remain; memberships are not shown on the dashboard."""

from django.db import migrations

CREATE = (
    "DROP TRIGGER IF EXISTS kipp_user_scoring_change ON kipp_user;\n"
    "CREATE TRIGGER kipp_user_scoring_change AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF full_name, email, "
    "is_active ON kipp_user FOR EACH STATEMENT EXECUTE FUNCTION judging_note_scoring_change();\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0020_announcement_letterhead"),
        ("kipp", "0016_memberships"),
    ]

    operations = [migrations.RunSQL(CREATE, reverse_sql=CREATE)]
