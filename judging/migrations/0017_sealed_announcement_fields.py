"""A sealed announcement version keeps what its public page, PDF and CSV show (found by an attacking review: the
texts, signatory and list options of a sealed version could still be changed in the database, and a row could be
moved into a sealed version from another one)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION kipp_announcement_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.fingerprint <> '' AND (
        NEW.fingerprint IS DISTINCT FROM OLD.fingerprint OR NEW.canonical_csv IS DISTINCT FROM OLD.canonical_csv
        OR NEW.round_id IS DISTINCT FROM OLD.round_id OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.number IS DISTINCT FROM OLD.number OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.previous_id IS DISTINCT FROM OLD.previous_id OR NEW.title IS DISTINCT FROM OLD.title
        OR NEW.date IS DISTINCT FROM OLD.date OR NEW.place IS DISTINCT FROM OLD.place
        OR NEW.signatory_name IS DISTINCT FROM OLD.signatory_name
        OR NEW.signatory_title IS DISTINCT FROM OLD.signatory_title
        OR NEW.letterhead IS DISTINCT FROM OLD.letterhead OR NEW.body IS DISTINCT FROM OLD.body
        OR NEW.show_ranks IS DISTINCT FROM OLD.show_ranks OR NEW.show_totals IS DISTINCT FROM OLD.show_totals
        OR NEW.list_order IS DISTINCT FROM OLD.list_order OR NEW.correction_note IS DISTINCT FROM OLD.correction_note
        OR NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id) THEN
        RAISE EXCEPTION 'announcement % is sealed: what it published is written once', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION kipp_announcement_row_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM judging_announcement a WHERE a.fingerprint <> '' AND a.id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.announcement_id END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.announcement_id END)) THEN
        RAISE EXCEPTION 'the rows of a sealed announcement never change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("judging", "0016_sheet_totals")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
