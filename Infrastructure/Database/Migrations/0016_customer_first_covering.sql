-- CustomerEndpoint's rollup path reads each of the range's customers' first interaction from customer_first_interaction
-- (hash-joined: for 30 days the tenant's 20 k rows). Rows of one provider lie scattered over the heap (tenants ingest
-- interleaved), so the key scan fetched a heap page per row: 7–9 ms of a 16–22 ms statement at 10 M messages. The key
-- now carries first_started_at, so the join reads the index alone (1.6–2.4 ms). One index, as before: the key's INCLUDE
-- column is not part of uniqueness or of the ingest's ON CONFLICT target.
ALTER TABLE customer_first_interaction
    DROP CONSTRAINT customer_first_interaction_pkey,
    ADD CONSTRAINT customer_first_interaction_pkey PRIMARY KEY (provider_id, customer_id) INCLUDE (first_started_at);
