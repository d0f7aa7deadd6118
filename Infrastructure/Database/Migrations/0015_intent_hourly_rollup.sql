-- Coarse tier for Intents (Rollups.InteractionsHourlyByIntent in Features/Ingest/Rollups.cs): per provider, UTC hour of
-- started_at and intent, the measures Intents reads (interactions first: the row count; sentiment; the stored
-- botContained). interaction_rollup_15m keeps every filter dimension, so a tenant with a few interactions per step has
-- about one row per interaction there (30 days: 15 k rows for 15 k interactions); Intents without filters reads its whole
-- UTC hours from here instead (≤ one row per hour and intent). Columns in definition order (the ingest delta inserts
-- SELECT *); the backfill computes what `rollups rebuild` computes.

CREATE TABLE interaction_rollup_1h_intent (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
    intent           text,
    interactions     bigint      NOT NULL,
    sentiment_n      bigint      NOT NULL,
    sentiment_sum    numeric     NOT NULL,
    bot_contained    bigint      NOT NULL,
    CONSTRAINT interaction_rollup_1h_intent_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, intent)
);

INSERT INTO interaction_rollup_1h_intent
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), x.intent,
       count(*), count(x.sentiment), coalesce(sum(x.sentiment::numeric), 0), count(*) FILTER (WHERE x.bot_contained)
FROM interactions x
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

ANALYZE interaction_rollup_1h_intent;
