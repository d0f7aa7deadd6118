-- AgentSessionStats (docs/performance.md): messagesSent of whole 15-minute steps sums from_agent of the agent rows of
-- message_rollup_15m. A partial covering index on just those rows makes that read index-only (no heap visit per row).
CREATE INDEX message_rollup_15m_agent_sent ON message_rollup_15m (provider_id, bucket_start) INCLUDE (agent_sender_id, from_agent)
    WHERE agent_sender_id IS NOT NULL;
