-- Intents' botContained as a stored fact (Features/Ingest/BotContainment.cs, docs/performance.md "Stored botContained").
-- SPEC §4 botContained per interaction: a bot session of the interaction ended 'contained', or the interaction has no bot
-- session and is bot-only (a bot, never queued or answered). It joins two tables, so every read of it joined the range's
-- interactions to the tenant's bot sessions (Intents at 30 days: 15 ms of its 28). Ingest now keeps the answer on the
-- interaction (interactions.bot_contained) and its count in the interaction rollups (measure bot_contained, last column:
-- the ingest delta inserts SELECT *), so the rollup path sums it like any count. The raw path still computes the definition
-- from bot_sessions; the rollup/raw equivalence test compares the two.

ALTER TABLE interactions ADD COLUMN bot_contained boolean NOT NULL DEFAULT false;

UPDATE interactions i SET bot_contained = true
WHERE EXISTS (SELECT 1 FROM bot_sessions b
              WHERE b.provider_id = i.provider_id AND b.interaction_id = i.interaction_id AND b.outcome = 'contained')
   OR (i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM bot_sessions b WHERE b.provider_id = i.provider_id AND b.interaction_id = i.interaction_id));

ALTER TABLE interaction_rollup_15m ADD COLUMN bot_contained bigint NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h ADD COLUMN bot_contained bigint NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h_total ADD COLUMN bot_contained bigint NOT NULL DEFAULT 0;

-- Every key below exists already (its interactions are counted there): the upserts only set the new measure. ON CONFLICT
-- matches the NULLS NOT DISTINCT keys, which a join on nullable dimensions could not use.
INSERT INTO interaction_rollup_15m AS r (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained)
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id, x.intent,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
FROM interactions x WHERE x.bot_contained
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent)
DO UPDATE SET bot_contained = EXCLUDED.bot_contained;

INSERT INTO interaction_rollup_1h AS r (provider_id, bucket_start, interaction_type,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), x.interaction_type,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
FROM interactions x WHERE x.bot_contained
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
ON CONFLICT (provider_id, bucket_start, interaction_type) DO UPDATE SET bot_contained = EXCLUDED.bot_contained;

INSERT INTO interaction_rollup_1h_total AS r (provider_id, bucket_start,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
FROM interactions x WHERE x.bot_contained
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (provider_id, bucket_start) DO UPDATE SET bot_contained = EXCLUDED.bot_contained;

-- The ingest writes every measure; no default, like the other measure columns.
ALTER TABLE interaction_rollup_15m ALTER COLUMN bot_contained DROP DEFAULT;
ALTER TABLE interaction_rollup_1h ALTER COLUMN bot_contained DROP DEFAULT;
ALTER TABLE interaction_rollup_1h_total ALTER COLUMN bot_contained DROP DEFAULT;
