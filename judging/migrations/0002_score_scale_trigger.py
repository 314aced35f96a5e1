from django.db import migrations

FORWARD = """
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

CREATE OR REPLACE FUNCTION judging_criterion_scale_check() RETURNS trigger AS $$
BEGIN
    IF NEW.scale_min <> OLD.scale_min OR NEW.scale_max <> OLD.scale_max THEN
        IF EXISTS (SELECT 1 FROM judging_score WHERE criterion_id = NEW.id
                   AND (value < NEW.scale_min OR value > NEW.scale_max)) THEN
            RAISE EXCEPTION 'criterion % has scores outside the new scale %..%', NEW.id, NEW.scale_min, NEW.scale_max
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER judging_criterion_scale_check BEFORE UPDATE ON judging_criterion
    FOR EACH ROW EXECUTE FUNCTION judging_criterion_scale_check();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS judging_score_check ON judging_score;
DROP FUNCTION IF EXISTS judging_score_check();
DROP TRIGGER IF EXISTS judging_criterion_scale_check ON judging_criterion;
DROP FUNCTION IF EXISTS judging_criterion_scale_check();
"""


class Migration(migrations.Migration):
    dependencies = [("judging", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
