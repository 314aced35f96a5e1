from django.db import migrations

# The per-row trigger of 0002 ran two lookups for every score; bulk inserts (seeders, benchmarks: 100,000+ rows)
# paid for that. This replaces it with statement-level triggers over the transition table: one set-based check per
# INSERT or UPDATE statement, same rules (value inside the criterion's scale; criterion of the sheet's round).

FORWARD = """
DROP TRIGGER IF EXISTS judging_score_check ON judging_score;
DROP FUNCTION IF EXISTS judging_score_check();

CREATE OR REPLACE FUNCTION judging_score_check_rows() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.sheet_id, n.criterion_id, n.value, c.scale_min, c.scale_max, c.round_id AS c_round, a.round_id AS s_round
      INTO bad
      FROM new_rows n
      JOIN judging_criterion c ON c.id = n.criterion_id
      JOIN judging_scoresheet s ON s.id = n.sheet_id
      JOIN judging_assignment a ON a.id = s.assignment_id
     WHERE n.value < c.scale_min OR n.value > c.scale_max OR c.round_id <> a.round_id
     LIMIT 1;
    IF FOUND THEN
        IF bad.c_round <> bad.s_round THEN
            RAISE EXCEPTION 'criterion % does not belong to the round of sheet %', bad.criterion_id, bad.sheet_id
                USING ERRCODE = 'check_violation';
        END IF;
        RAISE EXCEPTION 'score % outside the scale %..% of criterion %', bad.value, bad.scale_min, bad.scale_max,
            bad.criterion_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER judging_score_check_insert AFTER INSERT ON judging_score
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION judging_score_check_rows();
CREATE TRIGGER judging_score_check_update AFTER UPDATE ON judging_score
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION judging_score_check_rows();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS judging_score_check_insert ON judging_score;
DROP TRIGGER IF EXISTS judging_score_check_update ON judging_score;
DROP FUNCTION IF EXISTS judging_score_check_rows();

CREATE OR REPLACE FUNCTION judging_score_check() RETURNS trigger AS $$
DECLARE
    c_min smallint;
    c_max smallint;
    c_round bigint;
    s_round bigint;
BEGIN
    SELECT scale_min, scale_max, round_id INTO c_min, c_max, c_round FROM judging_criterion WHERE id = NEW.criterion_id;
    SELECT a.round_id INTO s_round FROM judging_scoresheet s JOIN judging_assignment a ON a.id = s.assignment_id
        WHERE s.id = NEW.sheet_id;
    IF c_round IS DISTINCT FROM s_round THEN
        RAISE EXCEPTION 'criterion % does not belong to the round of sheet %', NEW.criterion_id, NEW.sheet_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.value < c_min OR NEW.value > c_max THEN
        RAISE EXCEPTION 'score % outside the scale %..% of criterion %', NEW.value, c_min, c_max, NEW.criterion_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER judging_score_check BEFORE INSERT OR UPDATE ON judging_score
    FOR EACH ROW EXECUTE FUNCTION judging_score_check();
"""


class Migration(migrations.Migration):
    dependencies = [("judging", "0007_innovation_records")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
