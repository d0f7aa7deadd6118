-- Summary, exact parts only: uniqueCustomers (distinct) and firstResponseSecondsAvg (per answered interaction, from the
-- copy of its first agent message) for the range and the previous range of equal length (both periods are read),
-- index-only through interactions_by_start.
SELECT CASE WHEN i.started_at >= :'S' THEN 0 ELSE 1 END AS period,
       count(DISTINCT i.customer_id) AS unique_customers,
       avg(extract(epoch FROM i.first_agent_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL) AS first_response_seconds_avg
FROM interactions i
WHERE i.provider_id = :P AND i.started_at >= :'S'::timestamptz - (:'E'::timestamptz - :'S'::timestamptz) AND i.started_at < :'E'
GROUP BY 1
