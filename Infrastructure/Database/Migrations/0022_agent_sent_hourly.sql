-- The coarse tier of agent messages by sender (docs/performance.md), definition Rollups.MessagesHourlyByAgent in
-- Features/Ingest/Rollups.cs: per provider, UTC hour and agent, the messages the agent sent. AgentSessionStats'
-- messagesSent read message_rollup_15m, whose key carries the interaction: 13.7 k rows for the bench's big tenant over
-- 30 days, 8.1 k hour-and-agent rows here (182 k against 135 k at 400 days). Without interaction filters it reads this
-- table for the range's whole UTC hours.
-- The unique index carries the count (INCLUDE), so a tenant's hours are read index-only, in key order. Columns in
-- definition order (the ingest delta inserts SELECT *). The count has no planner statistics, as every rollup measure
-- (migration 0021). The backfill sums the 15-minute rows that carry an agent sender per hour, which equals a rebuild.

CREATE TABLE message_rollup_1h_agent (
    provider_id     bigint      NOT NULL,
    bucket_start    timestamptz NOT NULL,
    agent_sender_id bigint      NOT NULL,
    from_agent      bigint      NOT NULL,
    CONSTRAINT message_rollup_1h_agent_key UNIQUE (provider_id, bucket_start, agent_sender_id) INCLUDE (from_agent)
);

ALTER TABLE message_rollup_1h_agent ALTER COLUMN from_agent SET STATISTICS 0;

INSERT INTO message_rollup_1h_agent
SELECT provider_id, date_bin('60 minutes', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), agent_sender_id, sum(from_agent)
FROM message_rollup_15m
WHERE agent_sender_id IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

ANALYZE message_rollup_1h_agent;
