-- Time-partitioned history (docs/performance.md): interactions by started_at and messages by sent_at, one partition
-- per UTC calendar month plus a DEFAULT partition as a safety net. Retention drops whole months instead of deleting
-- rows. The primary key must include the partition key, so it becomes (provider_id, id, time); its (provider_id, id)
-- prefix is the per-partition index the ingest pipeline uses to find an entity whose time moved (it deletes the old
-- row first, in the same transaction, then inserts the new one).

-- Creates the missing monthly partitions of a history table for the given instants (any instant of the month).
-- Ingest calls it inside its transaction for the months a batch touches; retention calls it for this month and the
-- next, so ingest rarely has DDL to do. The advisory lock serialises concurrent creators of the same partition.
CREATE FUNCTION koopid_ensure_month_partitions(parent text, instants timestamptz[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz;
    part text;
    created integer := 0;
BEGIN
    FOR month_start IN
        SELECT DISTINCT date_trunc('month', t, 'UTC') FROM unnest(instants) AS t WHERE t IS NOT NULL
    LOOP
        part := parent || '_p' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        PERFORM pg_advisory_xact_lock(hashtext('koopid_partitions'));
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            part, parent, month_start, month_start + interval '1 month');
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;

-- messages_raw referenced messages (provider_id, message_id), which is no longer unique on its own. The raw text now
-- lives independently: ingest writes it with its message, retention deletes it with its message.
DO $$
DECLARE fk text;
BEGIN
    FOR fk IN SELECT conname FROM pg_constraint WHERE conrelid = 'messages_raw'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE messages_raw DROP CONSTRAINT %I', fk);
    END LOOP;
END
$$;

-- interactions ------------------------------------------------------------------------------------------------------
ALTER TABLE interactions RENAME TO interactions_unpartitioned;
ALTER TABLE interactions_unpartitioned RENAME CONSTRAINT interactions_pkey TO interactions_unpartitioned_pkey;
DROP INDEX interactions_by_start, interactions_by_queued, interactions_by_customer;

CREATE TABLE interactions (
    provider_id      bigint      NOT NULL REFERENCES providers,
    interaction_id   bigint      NOT NULL,
    customer_id      bigint,
    channel          text        NOT NULL,
    interaction_type text        NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    queue_id         bigint,
    queued_at        timestamptz,
    answered_at      timestamptz,
    abandoned_at     timestamptz,
    agent_id         bigint,
    bot_id           bigint,
    outcome          text,
    intent           text,
    topic            text,
    sentiment        double precision CHECK (sentiment BETWEEN -1 AND 1),
    csat             smallint CHECK (csat BETWEEN 1 AND 5),
    PRIMARY KEY (provider_id, interaction_id, started_at)
) PARTITION BY RANGE (started_at);
CREATE TABLE interactions_default PARTITION OF interactions DEFAULT;
CREATE INDEX interactions_by_start  ON interactions (provider_id, started_at);
CREATE INDEX interactions_by_queued ON interactions (provider_id, queued_at) WHERE queued_at IS NOT NULL;
CREATE INDEX interactions_by_customer ON interactions (provider_id, customer_id, started_at);

SELECT koopid_ensure_month_partitions('interactions', ARRAY(SELECT DISTINCT date_trunc('month', started_at, 'UTC') FROM interactions_unpartitioned));
INSERT INTO interactions SELECT * FROM interactions_unpartitioned;
DROP TABLE interactions_unpartitioned;

-- messages ----------------------------------------------------------------------------------------------------------
ALTER TABLE messages RENAME TO messages_unpartitioned;
ALTER TABLE messages_unpartitioned RENAME CONSTRAINT messages_pkey TO messages_unpartitioned_pkey;
DROP INDEX messages_by_sent, messages_by_interaction;

CREATE TABLE messages (
    provider_id       bigint      NOT NULL REFERENCES providers,
    message_id        bigint      NOT NULL,
    interaction_id    bigint      NOT NULL,
    sent_at           timestamptz NOT NULL,
    sender_type       text        NOT NULL,
    sender_id         bigint,
    text              text        NOT NULL,
    redacted_entities text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (provider_id, message_id, sent_at)
) PARTITION BY RANGE (sent_at);
CREATE TABLE messages_default PARTITION OF messages DEFAULT;
CREATE INDEX messages_by_sent        ON messages (provider_id, sent_at, message_id);
CREATE INDEX messages_by_interaction ON messages (provider_id, interaction_id, sent_at);

SELECT koopid_ensure_month_partitions('messages', ARRAY(SELECT DISTINCT date_trunc('month', sent_at, 'UTC') FROM messages_unpartitioned));
INSERT INTO messages SELECT * FROM messages_unpartitioned;
DROP TABLE messages_unpartitioned;

ANALYZE interactions;
ANALYZE messages;
