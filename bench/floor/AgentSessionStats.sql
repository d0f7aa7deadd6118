-- AgentSessionStats, exact parts only: the rows the service computes handleSeconds and firstResponseSeconds p50/p90 from
-- (per bucket, per agent and in total): the answered interactions (interactions_by_answered, index-only) and their first
-- agent message (interaction_first_agent_message, by key).
SELECT width_bucket(i.answered_at, :'B'::timestamptz[]) AS bucket, i.agent_id, i.answered_at, i.ended_at, fr.first_sent_at
FROM interactions i
LEFT JOIN interaction_first_agent_message fr ON fr.provider_id = i.provider_id AND fr.interaction_id = i.interaction_id
WHERE i.provider_id = :P AND i.answered_at >= :'S' AND i.answered_at < :'E' AND i.agent_id IS NOT NULL
