from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Extensions used by later layers: pg_trgm (near-duplicate titles), unaccent (search)."""

    dependencies = [("kipp", "0003_audit_append_only")]
    operations = [TrigramExtension(), UnaccentExtension()]
