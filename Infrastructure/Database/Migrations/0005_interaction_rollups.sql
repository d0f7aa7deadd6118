-- Interaction-side rollups (docs/performance.md), definitions in Features/Ingest/Rollups.cs and CustomerFirsts.cs.
-- 1. interaction_rollup_15m gains the intent dimension and numeric sums of sentiment and csat (Intents, Summary);
--    recreated because the delta inserts columns in definition order. Interactions/InteractionType/BotAccessStats sum
--    the same measures over more (finer) rows: same results.
-- 2. queue_rollup_15m: queue metrics by 15-minute bucket of queued_at (never-queued interactions excluded).
-- 3. customer_first_interaction: each customer's first stored interaction, maintained by ingest (CustomerEndpoint).
-- 4. Covering indexes so the raw reads that stay (distinct customers, percentiles, service level, botContained) are
--    index-only.
-- Backfills compute exactly what `rollups rebuild` computes.

DROP TABLE interaction_rollup_15m;
CREATE TABLE interaction_rollup_15m (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
    channel          text        NOT NULL,
    interaction_type text        NOT NULL,
    queue_id         bigint,
    agent_id         bigint,
    bot_id           bigint,
    intent           text,
    interactions     bigint      NOT NULL,
    answered         bigint      NOT NULL,
    bot_only         bigint      NOT NULL,
    abandoned        bigint      NOT NULL,
    wait_n           bigint      NOT NULL,
    wait_sum         numeric     NOT NULL,
    handle_n         bigint      NOT NULL,
    handle_sum       numeric     NOT NULL,
    duration_n       bigint      NOT NULL,
    duration_sum     numeric     NOT NULL,
    sentiment_n      bigint      NOT NULL,
    sentiment_sum    numeric     NOT NULL,
    csat_n           bigint      NOT NULL,
    csat_sum         numeric     NOT NULL,
    CONSTRAINT interaction_rollup_15m_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent)
);

INSERT INTO interaction_rollup_15m
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id, x.intent,
       count(*),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL),
       count(*) FILTER (WHERE x.bot_id IS NOT NULL AND x.queued_at IS NULL AND x.answered_at IS NULL),
       count(*) FILTER (WHERE x.abandoned_at IS NOT NULL AND x.answered_at IS NULL),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.answered_at - x.queued_at)) FILTER (WHERE x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL), 0),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.ended_at - x.answered_at)) FILTER (WHERE x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL), 0),
       count(*) FILTER (WHERE x.ended_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.ended_at - x.started_at)) FILTER (WHERE x.ended_at IS NOT NULL), 0),
       count(x.sentiment),
       coalesce(sum(x.sentiment::numeric), 0),
       count(x.csat),
       coalesce(sum(x.csat::numeric), 0)
FROM interactions x
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TABLE queue_rollup_15m (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
    channel          text        NOT NULL,
    interaction_type text        NOT NULL,
    queue_id         bigint,
    agent_id         bigint,
    bot_id           bigint,
    offered          bigint      NOT NULL,
    answered         bigint      NOT NULL,
    abandoned        bigint      NOT NULL,
    wait_n           bigint      NOT NULL,
    wait_sum         numeric     NOT NULL,
    abandon_n        bigint      NOT NULL,
    abandon_sum      numeric     NOT NULL,
    CONSTRAINT queue_rollup_15m_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id)
);

INSERT INTO queue_rollup_15m
SELECT x.provider_id, date_bin('15 minutes', x.queued_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id,
       count(*),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL),
       count(*) FILTER (WHERE x.abandoned_at IS NOT NULL AND x.answered_at IS NULL),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.answered_at - x.queued_at)) FILTER (WHERE x.answered_at IS NOT NULL), 0),
       count(*) FILTER (WHERE x.abandoned_at IS NOT NULL AND x.answered_at IS NULL),
       coalesce(sum(extract(epoch FROM x.abandoned_at - x.queued_at)) FILTER (WHERE x.abandoned_at IS NOT NULL AND x.answered_at IS NULL), 0)
FROM interactions x
WHERE x.queued_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7;

CREATE TABLE customer_first_interaction (
    provider_id      bigint      NOT NULL,
    customer_id      bigint      NOT NULL,
    first_started_at timestamptz NOT NULL,
    PRIMARY KEY (provider_id, customer_id)
);

INSERT INTO customer_first_interaction
SELECT provider_id, customer_id, min(started_at) FROM interactions
WHERE customer_id IS NOT NULL
GROUP BY 1, 2 ORDER BY 1, 2;

-- Raw reads that stay index-only: CustomerEndpoint's distinct customers and Intents' botContained (by started_at),
-- AgentQueueStats' service level / max / percentiles (by queued_at), botContained's sessions per interaction.
DROP INDEX interactions_by_start;
CREATE INDEX interactions_by_start ON interactions (provider_id, started_at)
    INCLUDE (interaction_id, customer_id, channel, interaction_type, queue_id, agent_id, bot_id, queued_at, answered_at, intent);
DROP INDEX interactions_by_queued;
CREATE INDEX interactions_by_queued ON interactions (provider_id, queued_at)
    INCLUDE (answered_at, abandoned_at, queue_id, channel, interaction_type, agent_id, bot_id) WHERE queued_at IS NOT NULL;
CREATE INDEX bot_sessions_by_interaction ON bot_sessions (provider_id, interaction_id) INCLUDE (outcome) WHERE interaction_id IS NOT NULL;

ANALYZE interaction_rollup_15m;
ANALYZE queue_rollup_15m;
ANALYZE customer_first_interaction;
