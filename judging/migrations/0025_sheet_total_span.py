"""The stored sheet totals' function (migration 0016) computed a criterion's span as (scale_max - scale_min) in
smallint, before the cast: a scale wider than 32,767 (the fields allow -32,768 to 32,767) made every final sheet of
its round fail with "smallint out of range". The span is now the difference of the two bounds as float8: the same
value for every scale that worked (an exact integer either way), and no overflow."""

from django.db import migrations

FIXED = """
CREATE OR REPLACE FUNCTION judging_refresh_sheet_totals(ids bigint[]) RETURNS integer AS $$
DECLARE
    counted integer;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;
    DELETE FROM judging_sheettotal WHERE sheet_id = ANY(ids);
    WITH sheets AS MATERIALIZED (
        SELECT s.id, a.round_id, a.entry_id, a.judge_id
        FROM judging_scoresheet s
        JOIN judging_assignment a ON a.id = s.assignment_id
        JOIN judging_round r ON r.id = a.round_id
        WHERE s.id = ANY(ids) AND s.state = 'final'
          AND NOT EXISTS (
              SELECT 1 FROM judging_conflict c
              WHERE c.competition_id = r.competition_id AND c.judge_id = a.judge_id AND c.entry_id = a.entry_id
                AND (c.round_id IS NULL OR c.round_id = a.round_id)
          )
    ),
    crit AS MATERIALIZED (
        SELECT id, round_id, weight::float8 AS w, scale_min::float8 AS lo,
               scale_max::float8 - scale_min::float8 AS span,
               row_number() OVER (PARTITION BY round_id ORDER BY "order", id) AS pos
        FROM judging_criterion WHERE round_id IN (SELECT DISTINCT round_id FROM sheets)
    )
    INSERT INTO judging_sheettotal (sheet_id, round_id, entry_id, judge_id, total, n)
    SELECT sh.id, sh.round_id, sh.entry_id, sh.judge_id,
           SUM(c.w * 100.0 * (sc.value - c.lo) / c.span ORDER BY c.pos)
               / SUM(c.w ORDER BY c.pos) FILTER (WHERE sc.value IS NOT NULL),
           array_agg(100.0 * (sc.value - c.lo) / c.span ORDER BY c.pos)
    FROM sheets sh
    JOIN crit c ON c.round_id = sh.round_id
    LEFT JOIN judging_score sc ON sc.sheet_id = sh.id AND sc.criterion_id = c.id
    GROUP BY sh.id, sh.round_id, sh.entry_id, sh.judge_id
    HAVING COUNT(sc.value) > 0;
    GET DIAGNOSTICS counted = ROW_COUNT;
    RETURN counted;
END;
$$ LANGUAGE plpgsql;
"""

ORIGINAL = """
CREATE OR REPLACE FUNCTION judging_refresh_sheet_totals(ids bigint[]) RETURNS integer AS $$
DECLARE
    counted integer;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;
    DELETE FROM judging_sheettotal WHERE sheet_id = ANY(ids);
    WITH sheets AS MATERIALIZED (
        SELECT s.id, a.round_id, a.entry_id, a.judge_id
        FROM judging_scoresheet s
        JOIN judging_assignment a ON a.id = s.assignment_id
        JOIN judging_round r ON r.id = a.round_id
        WHERE s.id = ANY(ids) AND s.state = 'final'
          AND NOT EXISTS (
              SELECT 1 FROM judging_conflict c
              WHERE c.competition_id = r.competition_id AND c.judge_id = a.judge_id AND c.entry_id = a.entry_id
                AND (c.round_id IS NULL OR c.round_id = a.round_id)
          )
    ),
    crit AS MATERIALIZED (
        SELECT id, round_id, weight::float8 AS w, scale_min::float8 AS lo, (scale_max - scale_min)::float8 AS span,
               row_number() OVER (PARTITION BY round_id ORDER BY "order", id) AS pos
        FROM judging_criterion WHERE round_id IN (SELECT DISTINCT round_id FROM sheets)
    )
    INSERT INTO judging_sheettotal (sheet_id, round_id, entry_id, judge_id, total, n)
    SELECT sh.id, sh.round_id, sh.entry_id, sh.judge_id,
           SUM(c.w * 100.0 * (sc.value - c.lo) / c.span ORDER BY c.pos)
               / SUM(c.w ORDER BY c.pos) FILTER (WHERE sc.value IS NOT NULL),
           array_agg(100.0 * (sc.value - c.lo) / c.span ORDER BY c.pos)
    FROM sheets sh
    JOIN crit c ON c.round_id = sh.round_id
    LEFT JOIN judging_score sc ON sc.sheet_id = sh.id AND sc.criterion_id = c.id
    GROUP BY sh.id, sh.round_id, sh.entry_id, sh.judge_id
    HAVING COUNT(sc.value) > 0;
    GET DIAGNOSTICS counted = ROW_COUNT;
    RETURN counted;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("judging", "0024_record_catalogue_order")]

    operations = [migrations.RunSQL(FIXED, ORIGINAL)]
