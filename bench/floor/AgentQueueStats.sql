-- AgentQueueStats, exact parts only: the rows the service computes serviceLevel, waitSeconds max and p50/p90 from
-- (per bucket, per queue and in total; the service sorts nothing in PostgreSQL): the offered interactions by queuedAt
-- with their times, index-only through interactions_by_queued. The queues' thresholds are a separate look-up of a few rows.
SELECT width_bucket(i.queued_at, :'B'::timestamptz[]) AS bucket, i.queue_id, i.queued_at, i.answered_at, i.abandoned_at
FROM interactions i
WHERE i.provider_id = :P AND i.queued_at >= :'S' AND i.queued_at < :'E'
