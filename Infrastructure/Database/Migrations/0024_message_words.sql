-- TopWords' word tier (docs/performance.md "TopWords: the word tier"; code Features/Ingest/MessageWords.cs). TopWords
-- tokenised every redacted text of its range: 600 ms for the bench's big tenant over 400 days, 64 ms over 30. Here the
-- words of each UTC day and month are counted once, per provider and sender type, after the exclusions TopWords applies
-- (Tokenizer), so a range reads a few thousand (word, count) rows and tokenises only its partial days.
--
-- The tokenizer is C# (Unicode categories, NFC, the stop-word lists), so the counts cannot be a SQL delta inside ingest.
-- Ingest instead marks the (provider, UTC day)s it writes as not computed, in the batch's own transaction, and a
-- background worker (MessageWordsWorker) recomputes those days from the stored text under the provider's ingest lock.
-- TopWords reads a day from the tier only while it is computed, and a month only while none of its days waits; every
-- other day is read raw. So the answer always equals the raw path's (RollupEquivalenceTests), whatever the worker's lag.

CREATE TABLE message_words_1d (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL, -- a UTC midnight
    sender_type  text        NOT NULL,
    word         text        NOT NULL,
    count        bigint      NOT NULL,
    CONSTRAINT message_words_1d_key PRIMARY KEY (provider_id, bucket_start, sender_type, word)
);

-- The sums of a month's day rows, rewritten whenever one of its days is recomputed.
CREATE TABLE message_words_1mo (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL, -- the first of a UTC month
    sender_type  text        NOT NULL,
    word         text        NOT NULL,
    count        bigint      NOT NULL,
    CONSTRAINT message_words_1mo_key PRIMARY KEY (provider_id, bucket_start, sender_type, word)
);

-- One row per (provider, UTC day) that has held messages: computed = its day rows are current. dirtied_at (the last
-- write) lets the worker wait until a day stops changing, so a bulk load is not re-tokenised batch after batch.
CREATE TABLE message_words_days (
    provider_id  bigint      NOT NULL,
    bucket_start timestamptz NOT NULL,
    computed     boolean     NOT NULL DEFAULT false,
    dirtied_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT message_words_days_key PRIMARY KEY (provider_id, bucket_start)
);

CREATE INDEX message_words_days_waiting ON message_words_days (dirtied_at) WHERE NOT computed;

ALTER TABLE message_words_1d ALTER COLUMN count SET STATISTICS 0;
ALTER TABLE message_words_1mo ALTER COLUMN count SET STATISTICS 0;

-- Every day already stored waits for the worker ('-infinity': no need to let it settle).
INSERT INTO message_words_days (provider_id, bucket_start, dirtied_at)
SELECT provider_id, date_bin('1 day', sent_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), '-infinity'
FROM messages
GROUP BY 1, 2
ORDER BY 1, 2;

ANALYZE message_words_days;
