-- AgentQueueStats, exact parts only: answered within each queue's threshold, waitSeconds max and p50/p90 per bucket,
-- per queue and in total over the answered interactions by queuedAt (interactions_by_queued, index-only).
SELECT grouping(bucket, queue_id) AS grp, bucket, queue_id,
       count(*) FILTER (WHERE wait_seconds <= threshold) AS within, max(wait_seconds) AS wait_max,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY wait_seconds) AS wait_p
FROM (
    SELECT width_bucket(i.queued_at, :'B'::timestamptz[]) AS bucket, i.queue_id,
           extract(epoch FROM i.answered_at - i.queued_at)::float8 AS wait_seconds, coalesce(q.service_level_seconds, 60) AS threshold
    FROM interactions i
    LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id
    WHERE i.provider_id = :P AND i.queued_at >= :'S' AND i.queued_at < :'E' AND i.answered_at IS NOT NULL
) x
GROUP BY GROUPING SETS ((bucket), (queue_id), ())
