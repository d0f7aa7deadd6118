-- Planner statistics only where a plan can use them (docs/performance.md "Statistics targets"). A bulk load ends with
-- ANALYZE (PlannerStatistics), and autovacuum analyzes every partition and rollup as ingest changes it. Most of that
-- work went to columns no statement filters, joins, groups or sorts on:
--   * the rollups' measures (every column of a rollup table outside its index keys): summed, never compared;
--   * messages.text: read by TopWords and the exports, never compared;
--   * messages.redacted_entities: only counted (cardinality, unnest), never searched with array operators.
-- Statistics target 0 skips them (no histogram, no most-common values). A layer-0 bench load's final ANALYZE took 1.5 s
-- on its two connections before, 1.0 s after; the plans of the bench's statements are the same.

DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT c.relname, a.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE '%\_rollup\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_index i
                          WHERE i.indrelid = c.oid AND a.attnum = ANY (i.indkey[0:i.indnkeyatts - 1]))
        ORDER BY 1, 2
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS 0', col.relname, col.attname);
    END LOOP;
END
$$;

-- On a partitioned table this reaches every partition that exists; new ones copy it (koopid_ensure_month_partitions).
ALTER TABLE messages ALTER COLUMN text SET STATISTICS 0;
ALTER TABLE messages ALTER COLUMN redacted_entities SET STATISTICS 0;

-- A partition created later copies its parent's statistics targets: PostgreSQL does not carry them over by itself.
CREATE OR REPLACE FUNCTION koopid_ensure_month_partitions(parent text, instants timestamptz[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz;
    part text;
    created integer := 0;
    target record;
BEGIN
    FOR month_start IN
        SELECT DISTINCT date_trunc('month', t, 'UTC') FROM unnest(instants) AS t WHERE t IS NOT NULL
    LOOP
        part := parent || '_p' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        PERFORM pg_advisory_xact_lock(hashtext('koopid_partitions'));
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            part, parent, month_start, month_start + interval '1 month');
        -- attstattarget is -1 (PostgreSQL 15/16) or NULL (17+) for the default: only explicit targets are copied
        FOR target IN
            SELECT attname, attstattarget FROM pg_attribute
            WHERE attrelid = to_regclass(parent) AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0
        LOOP
            EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS %s', part, target.attname, target.attstattarget);
        END LOOP;
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;
