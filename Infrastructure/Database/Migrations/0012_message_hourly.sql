-- Coarse tier for messages (docs/performance.md), definition Rollups.MessagesHourlyTotal in Features/Ingest/Rollups.cs:
-- message_rollup_15m's measures per provider and UTC hour of sent_at, no dimension. message_rollup_15m is keyed by
-- interaction, so it holds about one row per interaction and step; the chart of RedactedMessagesWithPlot and DBStats'
-- message count need neither. Columns in definition order (the ingest delta inserts SELECT *). The backfill computes
-- exactly what `rollups rebuild` computes.

CREATE TABLE message_rollup_1h_total (
    provider_id       bigint      NOT NULL,
    bucket_start      timestamptz NOT NULL,
    messages          bigint      NOT NULL,
    from_customer     bigint      NOT NULL,
    from_agent        bigint      NOT NULL,
    from_bot          bigint      NOT NULL,
    from_system       bigint      NOT NULL,
    redacted_entities bigint      NOT NULL,
    CONSTRAINT message_rollup_1h_total_key UNIQUE (provider_id, bucket_start)
);

INSERT INTO message_rollup_1h_total
SELECT x.provider_id, date_bin('60 minutes', x.sent_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'),
       count(*),
       count(*) FILTER (WHERE x.sender_type = 'customer'),
       count(*) FILTER (WHERE x.sender_type = 'agent'),
       count(*) FILTER (WHERE x.sender_type = 'bot'),
       count(*) FILTER (WHERE x.sender_type = 'system'),
       coalesce(sum(cardinality(x.redacted_entities)), 0)
FROM messages x
GROUP BY 1, 2
ORDER BY 1, 2;

ANALYZE message_rollup_1h_total;
