-- CustomerEndpoint's newCustomers (docs/performance.md "CustomerEndpoint: only the customers first seen in the range"):
-- only a customer whose first-ever interaction lies in the range can be new in it, so the rollup path reads those
-- customers by first_started_at instead of hash-joining all of the tenant's customers to the range's interactions (the
-- bench's big tenant: 20 k customers hashed for a 30-day range of 15 k interactions, ≈ 6 ms of its statement, growing with
-- the tenant's lifetime). customer_first_interaction has one row per customer and changes only when a customer's first
-- interaction does, so the second index costs ingest little.
CREATE INDEX IF NOT EXISTS customer_first_interaction_by_first
    ON customer_first_interaction (provider_id, first_started_at) INCLUDE (customer_id);
