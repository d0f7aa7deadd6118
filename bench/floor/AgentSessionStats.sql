-- AgentSessionStats, exact parts only: handleSeconds and firstResponseSeconds p50/p90 per bucket, per agent and in total
-- over the answered interactions (interactions_by_answered, index-only) and their first agent message (by key).
SELECT grouping(bucket, agent_id) AS grp, bucket, agent_id,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY handle_seconds) AS handle_p,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY first_response_seconds) AS first_response_p
FROM (
    SELECT width_bucket(i.answered_at, :'B'::timestamptz[]) AS bucket, i.agent_id,
           extract(epoch FROM i.ended_at - i.answered_at)::float8 AS handle_seconds,
           extract(epoch FROM fr.first_sent_at - i.answered_at)::float8 AS first_response_seconds
    FROM interactions i
    LEFT JOIN interaction_first_agent_message fr ON fr.provider_id = i.provider_id AND fr.interaction_id = i.interaction_id
    WHERE i.provider_id = :P AND i.answered_at >= :'S' AND i.answered_at < :'E' AND i.agent_id IS NOT NULL
) x
GROUP BY GROUPING SETS ((bucket), (agent_id), ())
