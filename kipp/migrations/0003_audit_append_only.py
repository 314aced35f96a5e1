from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION kipp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'kipp_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER kipp_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON kipp_auditevent
    FOR EACH ROW EXECUTE FUNCTION kipp_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS kipp_audit_no_update_delete ON kipp_auditevent;
DROP FUNCTION IF EXISTS kipp_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("kipp", "0002_regions_sulawesi_selatan")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
