-- Summary's firstResponseSeconds from the interaction rollups (Features/Ingest/FirstAgentMessages.cs, docs/performance.md
-- "Summary: first response from the rollups (0025)"). Summary averaged `first_agent_at − answered_at` over every
-- interaction of the period, index-only through interactions_by_start: at 400 days for the bench's big tenant 200 k rows,
-- ≈ 39 ms of numeric extracts beside its distinct customer count (≈ 28 ms). The interaction rollups now sum it like
-- handle and wait (measures first_response_n and first_response_sum, last columns: the ingest delta inserts SELECT *), and
-- ingest moves those sums whenever it changes an interaction's copy of its first agent message. The raw path still takes
-- the min over the messages; the rollup/raw equivalence test compares the two.

ALTER TABLE interaction_rollup_15m
    ADD COLUMN first_response_n bigint NOT NULL DEFAULT 0,
    ADD COLUMN first_response_sum numeric NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h
    ADD COLUMN first_response_n bigint NOT NULL DEFAULT 0,
    ADD COLUMN first_response_sum numeric NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h_total
    ADD COLUMN first_response_n bigint NOT NULL DEFAULT 0,
    ADD COLUMN first_response_sum numeric NOT NULL DEFAULT 0;

-- Summed, never compared (0021).
ALTER TABLE interaction_rollup_15m ALTER COLUMN first_response_n SET STATISTICS 0, ALTER COLUMN first_response_sum SET STATISTICS 0;
ALTER TABLE interaction_rollup_1h ALTER COLUMN first_response_n SET STATISTICS 0, ALTER COLUMN first_response_sum SET STATISTICS 0;
ALTER TABLE interaction_rollup_1h_total ALTER COLUMN first_response_n SET STATISTICS 0, ALTER COLUMN first_response_sum SET STATISTICS 0;

-- Every key below exists already (its interactions are counted there): the upserts only set the new measures. ON CONFLICT
-- matches the NULLS NOT DISTINCT keys, which a join on nullable dimensions could not use.
INSERT INTO interaction_rollup_15m AS r (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages, first_response_n, first_response_sum)
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id, x.intent,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(extract(epoch FROM x.first_agent_at - x.answered_at))
FROM interactions x WHERE x.answered_at IS NOT NULL AND x.first_agent_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent)
DO UPDATE SET first_response_n = EXCLUDED.first_response_n, first_response_sum = EXCLUDED.first_response_sum;

INSERT INTO interaction_rollup_1h AS r (provider_id, bucket_start, interaction_type,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages, first_response_n, first_response_sum)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), x.interaction_type,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(extract(epoch FROM x.first_agent_at - x.answered_at))
FROM interactions x WHERE x.answered_at IS NOT NULL AND x.first_agent_at IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
ON CONFLICT (provider_id, bucket_start, interaction_type)
DO UPDATE SET first_response_n = EXCLUDED.first_response_n, first_response_sum = EXCLUDED.first_response_sum;

INSERT INTO interaction_rollup_1h_total AS r (provider_id, bucket_start,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages, first_response_n, first_response_sum)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(extract(epoch FROM x.first_agent_at - x.answered_at))
FROM interactions x WHERE x.answered_at IS NOT NULL AND x.first_agent_at IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (provider_id, bucket_start)
DO UPDATE SET first_response_n = EXCLUDED.first_response_n, first_response_sum = EXCLUDED.first_response_sum;
