-- Coarse rollup tier (docs/performance.md), definition Rollups.InteractionsHourly in Features/Ingest/Rollups.cs:
-- interaction_rollup_15m's measures per provider, UTC hour of started_at and interaction_type only. A tenant with a few
-- interactions per 15-minute step has about one 15-minute row per interaction (every filter dimension is a key); calls
-- without filters beyond the type read this for their whole UTC hours. Columns in definition order (the ingest delta
-- inserts SELECT *). interaction_rollup_1h_total (Rollups.InteractionsHourlyTotal): the same per provider and hour only,
-- for calls without any filter. The backfills compute exactly what `rollups rebuild` computes.

CREATE TABLE interaction_rollup_1h (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
    interaction_type text        NOT NULL,
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
    CONSTRAINT interaction_rollup_1h_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, interaction_type)
);

INSERT INTO interaction_rollup_1h
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.interaction_type,
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
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

CREATE TABLE interaction_rollup_1h_total (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
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
    CONSTRAINT interaction_rollup_1h_total_key UNIQUE (provider_id, bucket_start)
);

INSERT INTO interaction_rollup_1h_total
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
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
GROUP BY 1, 2
ORDER BY 1, 2;

ANALYZE interaction_rollup_1h;
ANALYZE interaction_rollup_1h_total;
