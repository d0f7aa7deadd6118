-- ConversationStats from the rollups (Features/Ingest/MessageCounts.cs, docs/performance.md "ConversationStats from
-- the rollups"). Its two exact parts read every row of the range:
-- * messagesPerConversationAvg: each conversation's message count, one index probe per interaction (200 k at 400 days,
--   ≈ 590 ms in PostgreSQL for the bench's big tenant);
-- * redactedEntitiesByType: every message carrying a placeholder (213 k at 400 days, ≈ 340 ms).
-- Ingest now keeps each interaction's message count on it (interactions.message_count, always the number of its stored
-- messages, whenever sent) and its sum in the interaction rollups (measure messages, last column: the ingest delta inserts
-- SELECT *), and the hourly message tier counts the placeholders per entity type (SPEC §7's seven types, last columns).
-- The raw path still counts from the messages; the rollup/raw equivalence test compares the two.

ALTER TABLE interactions ADD COLUMN message_count integer NOT NULL DEFAULT 0;

UPDATE interactions i SET message_count = c.messages
FROM (SELECT provider_id, interaction_id, sum(messages) AS messages FROM message_rollup_15m GROUP BY 1, 2) c
WHERE c.provider_id = i.provider_id AND c.interaction_id = i.interaction_id;

ALTER TABLE interaction_rollup_15m ADD COLUMN messages bigint NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h ADD COLUMN messages bigint NOT NULL DEFAULT 0;
ALTER TABLE interaction_rollup_1h_total ADD COLUMN messages bigint NOT NULL DEFAULT 0;

-- Every key below exists already (its interactions are counted there): the upserts only set the new measure. ON CONFLICT
-- matches the NULLS NOT DISTINCT keys, which a join on nullable dimensions could not use.
INSERT INTO interaction_rollup_15m AS r (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages)
SELECT x.provider_id, date_bin('15 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       x.channel, x.interaction_type, x.queue_id, x.agent_id, x.bot_id, x.intent,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(x.message_count)
FROM interactions x WHERE x.message_count > 0
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (provider_id, bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent)
DO UPDATE SET messages = EXCLUDED.messages;

INSERT INTO interaction_rollup_1h AS r (provider_id, bucket_start, interaction_type,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), x.interaction_type,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(x.message_count)
FROM interactions x WHERE x.message_count > 0
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
ON CONFLICT (provider_id, bucket_start, interaction_type) DO UPDATE SET messages = EXCLUDED.messages;

INSERT INTO interaction_rollup_1h_total AS r (provider_id, bucket_start,
    interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
    sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages)
SELECT x.provider_id, date_bin('60 minutes', x.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(x.message_count)
FROM interactions x WHERE x.message_count > 0
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (provider_id, bucket_start) DO UPDATE SET messages = EXCLUDED.messages;

-- Placeholders per entity type per UTC hour, in Rollups.EntityTypeMeasures' order.
ALTER TABLE message_rollup_1h_total
    ADD COLUMN entities_email bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_phone_number bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_credit_card bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_us_ssn bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_iban_code bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_ip_address bigint NOT NULL DEFAULT 0,
    ADD COLUMN entities_url bigint NOT NULL DEFAULT 0;

UPDATE message_rollup_1h_total h
SET entities_email = e.email, entities_phone_number = e.phone_number, entities_credit_card = e.credit_card,
    entities_us_ssn = e.us_ssn, entities_iban_code = e.iban_code, entities_ip_address = e.ip_address, entities_url = e.url
FROM (SELECT m.provider_id, date_bin('60 minutes', m.sent_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket_start,
             count(*) FILTER (WHERE t.entity_type = 'EMAIL') AS email,
             count(*) FILTER (WHERE t.entity_type = 'PHONE_NUMBER') AS phone_number,
             count(*) FILTER (WHERE t.entity_type = 'CREDIT_CARD') AS credit_card,
             count(*) FILTER (WHERE t.entity_type = 'US_SSN') AS us_ssn,
             count(*) FILTER (WHERE t.entity_type = 'IBAN_CODE') AS iban_code,
             count(*) FILTER (WHERE t.entity_type = 'IP_ADDRESS') AS ip_address,
             count(*) FILTER (WHERE t.entity_type = 'URL') AS url
      FROM messages m CROSS JOIN LATERAL unnest(m.redacted_entities) AS t(entity_type)
      WHERE cardinality(m.redacted_entities) > 0
      GROUP BY 1, 2) e
WHERE h.provider_id = e.provider_id AND h.bucket_start = e.bucket_start;

-- The ingest writes every measure; no default, like the other measure columns.
ALTER TABLE interaction_rollup_15m ALTER COLUMN messages DROP DEFAULT;
ALTER TABLE interaction_rollup_1h ALTER COLUMN messages DROP DEFAULT;
ALTER TABLE interaction_rollup_1h_total ALTER COLUMN messages DROP DEFAULT;
ALTER TABLE message_rollup_1h_total
    ALTER COLUMN entities_email DROP DEFAULT, ALTER COLUMN entities_phone_number DROP DEFAULT,
    ALTER COLUMN entities_credit_card DROP DEFAULT, ALTER COLUMN entities_us_ssn DROP DEFAULT,
    ALTER COLUMN entities_iban_code DROP DEFAULT, ALTER COLUMN entities_ip_address DROP DEFAULT,
    ALTER COLUMN entities_url DROP DEFAULT;

ANALYZE interactions;
