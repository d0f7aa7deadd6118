-- Message side of the store (docs/performance.md): a 15-minute message rollup for Messages and AgentSessionStats'
-- messagesSent, each interaction's first agent message for firstResponseSeconds, and an index on answered_at.
-- Definitions in Features/Ingest/Rollups.cs (Rollups.Messages) and Features/Ingest/FirstAgentMessages.cs; both are
-- maintained by ingest and rebuilt by `rollups rebuild`. The backfills below are the same aggregations.

-- Per interaction (distinct interactions stay exact; filters join the interaction's current values when read) and per
-- agent sender (sender_id of agent messages, NULL for the other sender types).
CREATE TABLE message_rollup_15m (
    provider_id       bigint      NOT NULL,
    bucket_start      timestamptz NOT NULL,
    interaction_id    bigint      NOT NULL,
    agent_sender_id   bigint,
    messages          bigint      NOT NULL,
    from_customer     bigint      NOT NULL,
    from_agent        bigint      NOT NULL,
    from_bot          bigint      NOT NULL,
    from_system       bigint      NOT NULL,
    redacted_entities bigint      NOT NULL,
    CONSTRAINT message_rollup_15m_key UNIQUE NULLS NOT DISTINCT (provider_id, bucket_start, interaction_id, agent_sender_id)
);

INSERT INTO message_rollup_15m
SELECT x.provider_id, date_bin('15 minutes', x.sent_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.interaction_id, CASE WHEN x.sender_type = 'agent' THEN x.sender_id END,
       count(*),
       count(*) FILTER (WHERE x.sender_type = 'customer'),
       count(*) FILTER (WHERE x.sender_type = 'agent'),
       count(*) FILTER (WHERE x.sender_type = 'bot'),
       count(*) FILTER (WHERE x.sender_type = 'system'),
       coalesce(sum(cardinality(x.redacted_entities)), 0)
FROM messages x
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- SPEC §4 firstResponseSeconds starts at the interaction's first agent message: one row per interaction that has one,
-- read by primary key instead of a min() probing every monthly partition of messages.
CREATE TABLE interaction_first_agent_message (
    provider_id    bigint      NOT NULL,
    interaction_id bigint      NOT NULL,
    first_sent_at  timestamptz NOT NULL,
    PRIMARY KEY (provider_id, interaction_id)
);

INSERT INTO interaction_first_agent_message
SELECT m.provider_id, m.interaction_id, min(m.sent_at)
FROM messages m
WHERE m.sender_type = 'agent'
GROUP BY 1, 2
ORDER BY 1, 2;

-- AgentSessionStats attributes handled interactions to answeredAt; the included columns make that read index-only
-- when no interaction filter is given.
CREATE INDEX IF NOT EXISTS interactions_by_answered ON interactions (provider_id, answered_at)
    INCLUDE (interaction_id, agent_id, ended_at) WHERE answered_at IS NOT NULL;

ANALYZE message_rollup_15m;
ANALYZE interaction_first_agent_message;
