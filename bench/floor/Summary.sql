-- Summary, exact part only: uniqueCustomers (distinct) for the range and the previous range of equal length, one
-- aggregate per period over its own range of interactions_by_start (index-only), as the slice does. (firstResponseSecondsAvg
-- comes from the interaction rollups since migration 0025; before, this probe averaged it here too.)
SELECT p.period, x.*
FROM (VALUES (0, :'S'::timestamptz, :'E'::timestamptz),
             (1, :'S'::timestamptz - (:'E'::timestamptz - :'S'::timestamptz), :'S'::timestamptz)) p(period, p_start, p_end)
CROSS JOIN LATERAL (
    SELECT count(DISTINCT i.customer_id) AS unique_customers
    FROM interactions i
    WHERE i.provider_id = :P AND i.started_at >= p.p_start AND i.started_at < p.p_end
) x
