"""Two people for real (issue 17 item 9): everyone who prepared or changed an announcement is kept in editor_ids,
and the database refuses an approver who is one of them."""

import django.contrib.postgres.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('judging', '0011_announcement_place_without_default'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='announcement',
            name='editor_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None, verbose_name='disiapkan atau diubah oleh'),
        ),
        # Existing announcements: their preparer is their one known editor (the audit log keeps earlier changers).
        migrations.RunSQL(
            "UPDATE judging_announcement SET editor_ids = ARRAY[prepared_by_id]::bigint[]",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.CheckConstraint(condition=models.Q(('editor_ids__contains', models.Func(models.F('prepared_by'), output_field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), size=None), template='ARRAY[%(expressions)s]::bigint[]'))), name='announcement_preparer_is_editor'),
        ),
        migrations.AddConstraint(
            model_name='announcement',
            constraint=models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('editor_ids__contains', models.Func(models.F('approved_by'), output_field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), size=None), template='ARRAY[%(expressions)s]::bigint[]')), _negated=True), _connector='OR'), name='announcement_approver_is_no_editor'),
        ),
    ]
