-- 15-minute rollups (docs/performance.md): the additive parts of the slice metrics per provider, 15-minute UTC bucket
-- (date_bin from the Unix epoch) and the dimensions the slices filter and group on. Maintained by ingest in its own
-- transaction (delta: new rows minus old rows), rebuilt by `rollups rebuild`; definitions in Features/Ingest/Rollups.cs.
-- Sums of seconds are exact numeric so that sum ÷ count equals avg() over the raw rows exactly.

CREATE TABLE interaction_rollup_15m (
    provider_id      bigint      NOT NULL,
    bucket_start     timestamptz NOT NULL,
    channel          text        NOT NULL,
    interaction_type text        NOT NULL,
    queue_id         bigint,
    agent_id         bigint,
    bot_id           bigint,
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
    CONSTRAINT interaction_rollup_15m_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id)
);

CREATE TABLE bot_session_rollup_15m (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL,
    bot_id       bigint      NOT NULL,
    sessions     bigint      NOT NULL,
    contained    bigint      NOT NULL,
    escalated    bigint      NOT NULL,
    abandoned    bigint      NOT NULL,
    duration_n   bigint      NOT NULL,
    duration_sum numeric     NOT NULL,
    turns_n      bigint      NOT NULL,
    turns_sum    bigint      NOT NULL,
    PRIMARY KEY (provider_id, bucket_start, bot_id)
);

-- Existing history: the same aggregation `rollups rebuild` runs.
INSERT INTO interaction_rollup_15m
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id,
       count(*),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL),
       count(*) FILTER (WHERE x.bot_id IS NOT NULL AND x.queued_at IS NULL AND x.answered_at IS NULL),
       count(*) FILTER (WHERE x.abandoned_at IS NOT NULL AND x.answered_at IS NULL),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.answered_at - x.queued_at)) FILTER (WHERE x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL), 0),
       count(*) FILTER (WHERE x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.ended_at - x.answered_at)) FILTER (WHERE x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL), 0),
       count(*) FILTER (WHERE x.ended_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.ended_at - x.started_at)) FILTER (WHERE x.ended_at IS NOT NULL), 0)
FROM interactions x
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO bot_session_rollup_15m
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), x.bot_id,
       count(*),
       count(*) FILTER (WHERE x.outcome = 'contained'),
       count(*) FILTER (WHERE x.outcome = 'escalated'),
       count(*) FILTER (WHERE x.outcome = 'abandoned'),
       count(*) FILTER (WHERE x.ended_at IS NOT NULL),
       coalesce(sum(extract(epoch FROM x.ended_at - x.started_at)) FILTER (WHERE x.ended_at IS NOT NULL), 0),
       count(turns),
       coalesce(sum(turns), 0)
FROM bot_sessions x
GROUP BY 1, 2, 3;
