-- Summary, exact parts only: uniqueCustomers (distinct) and firstResponseSecondsAvg (per answered interaction, from the
-- copy of its first agent message) for the range and the previous range of equal length, one aggregate per period over
-- its own range of interactions_by_start (index-only), as the slice does.
SELECT p.period, x.*
FROM (VALUES (0, :'S'::timestamptz, :'E'::timestamptz),
             (1, :'S'::timestamptz - (:'E'::timestamptz - :'S'::timestamptz), :'S'::timestamptz)) p(period, p_start, p_end)
CROSS JOIN LATERAL (
    SELECT count(DISTINCT i.customer_id) AS unique_customers,
           avg(extract(epoch FROM i.first_agent_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL) AS first_response_seconds_avg
    FROM interactions i
    WHERE i.provider_id = :P AND i.started_at >= p.p_start AND i.started_at < p.p_end
) x
