-- AgentSessionStats, exact parts only: the rows the service computes handleSeconds and firstResponseSeconds p50/p90 from
-- (per bucket, per agent and in total): the answered interactions with the copy of their first agent message
-- (interactions_by_answered, index-only).
SELECT width_bucket(i.answered_at, :'B'::timestamptz[]) AS bucket, i.agent_id, i.answered_at, i.ended_at, i.first_agent_at
FROM interactions i
WHERE i.provider_id = :P AND i.answered_at >= :'S' AND i.answered_at < :'E' AND i.agent_id IS NOT NULL
