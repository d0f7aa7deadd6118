-- ConversationStats (docs/performance.md): each conversation's message count from the message rollup by interaction
-- (an unpartitioned index instead of a count probing every monthly partition of messages), and the messages that carry
-- redacted entities through a partial index (usually a small share of all messages).
CREATE INDEX message_rollup_15m_by_interaction ON message_rollup_15m (provider_id, interaction_id) INCLUDE (messages);
CREATE INDEX messages_with_entities ON messages (provider_id, sent_at) INCLUDE (redacted_entities)
    WHERE cardinality(redacted_entities) > 0;
