-- The hourly totals, index-only (docs/performance.md "ConversationStats from the rollups"). A tenant's rows of
-- interaction_rollup_1h_total and message_rollup_1h_total lie one or two per heap page: every hour's rows of every tenant
-- are written together and rewritten by each batch. ConversationStats at 400 days reads 9.3 k hours of each table for the
-- bench's big tenant, 6.3 k heap pages per table (psql: its three statements 38 → 17 ms with these indexes). The indexes
-- hold every measure in (provider_id, bucket_start) order, so a tenant's range is a few hundred contiguous leaf pages. Each
-- batch rewrites a few dozen of these rows, so keeping the indexes costs ingest little.

CREATE INDEX IF NOT EXISTS interaction_rollup_1h_total_covering ON interaction_rollup_1h_total (provider_id, bucket_start)
    INCLUDE (interactions, answered, bot_only, abandoned, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum,
             sentiment_n, sentiment_sum, csat_n, csat_sum, bot_contained, messages);

CREATE INDEX IF NOT EXISTS message_rollup_1h_total_covering ON message_rollup_1h_total (provider_id, bucket_start)
    INCLUDE (messages, from_customer, from_agent, from_bot, from_system, redacted_entities, entities_email,
             entities_phone_number, entities_credit_card, entities_us_ssn, entities_iban_code, entities_ip_address, entities_url);
