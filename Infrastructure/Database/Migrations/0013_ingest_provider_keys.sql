-- Ingest (BENCHMARKS.md, Ingest): PostgreSQL checks a foreign key row by row (an SPI look-up with a FOR KEY SHARE lock),
-- ≈ 3.2 µs per inserted row here, ≈ 4–5 CPU-seconds of a 1.5 M-line load. The fact and customer tables drop their
-- provider_id → providers key; the ingest pipeline checks every row's provider in the batch's transaction and locks the
-- batch's providers FOR KEY SHARE once (IngestPipeline), which is what the per-row check guaranteed for ingested rows.
-- No code deletes providers. agents, queues and bots (a few hundred rows) keep theirs.
DO $$
DECLARE c record;
BEGIN
    FOR c IN
        SELECT conrelid::regclass AS t, conname FROM pg_constraint
        WHERE contype = 'f' AND confrelid = 'providers'::regclass AND conparentid = 0
          AND conrelid IN ('messages'::regclass, 'interactions'::regclass, 'agent_sessions'::regclass,
                           'bot_sessions'::regclass, 'customers'::regclass, 'customer_endpoints'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
    END LOOP;
END $$;
