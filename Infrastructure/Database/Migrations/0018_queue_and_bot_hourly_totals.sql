-- Coarse tiers without dimensions for queue and bot-session metrics (docs/performance.md), definitions
-- Rollups.QueueHourlyTotal and Rollups.BotSessionsHourlyTotal in Features/Ingest/Rollups.cs: the measures of
-- queue_rollup_15m and bot_session_rollup_15m per provider and UTC hour. Summary's queue cards and containmentRate take no
-- filter, yet read the 15-minute tables, keyed by every filter dimension or by bot: 23.6 k and 7.2 k rows for its two
-- 30-day periods at 10 M messages (≈ 8 and 2 ms of its statement), against ≈ 1.4 k hour rows each. Columns in definition
-- order (the ingest delta inserts SELECT *). The backfill sums the 15-minute rows per hour, which equals a rebuild.

CREATE TABLE queue_rollup_1h_total (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL,
    offered      bigint      NOT NULL,
    answered     bigint      NOT NULL,
    abandoned    bigint      NOT NULL,
    wait_n       bigint      NOT NULL,
    wait_sum     numeric     NOT NULL,
    abandon_n    bigint      NOT NULL,
    abandon_sum  numeric     NOT NULL,
    CONSTRAINT queue_rollup_1h_total_key UNIQUE (provider_id, bucket_start)
);

INSERT INTO queue_rollup_1h_total
SELECT provider_id, date_bin('60 minutes', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       sum(offered), sum(answered), sum(abandoned), sum(wait_n), sum(wait_sum), sum(abandon_n), sum(abandon_sum)
FROM queue_rollup_15m
GROUP BY 1, 2
ORDER BY 1, 2;

CREATE TABLE bot_session_rollup_1h_total (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL,
    sessions     bigint      NOT NULL,
    contained    bigint      NOT NULL,
    escalated    bigint      NOT NULL,
    abandoned    bigint      NOT NULL,
    duration_n   bigint      NOT NULL,
    duration_sum numeric     NOT NULL,
    turns_n      bigint      NOT NULL,
    turns_sum    bigint      NOT NULL,
    CONSTRAINT bot_session_rollup_1h_total_key UNIQUE (provider_id, bucket_start)
);

INSERT INTO bot_session_rollup_1h_total
SELECT provider_id, date_bin('60 minutes', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       sum(sessions), sum(contained), sum(escalated), sum(abandoned), sum(duration_n), sum(duration_sum), sum(turns_n), sum(turns_sum)
FROM bot_session_rollup_15m
GROUP BY 1, 2
ORDER BY 1, 2;

ANALYZE queue_rollup_1h_total;
ANALYZE bot_session_rollup_1h_total;
