-- Summary, exact parts only: uniqueCustomers (distinct) and firstResponseSecondsAvg (per answered interaction, from
-- interaction_first_agent_message by key) for the range and the previous range of equal length (both periods are read).
SELECT CASE WHEN i.started_at >= :'S' THEN 0 ELSE 1 END AS period,
       count(DISTINCT i.customer_id) AS unique_customers,
       avg(extract(epoch FROM fa.first_sent_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL) AS first_response_seconds_avg
FROM interactions i
LEFT JOIN interaction_first_agent_message fa
       ON i.answered_at IS NOT NULL AND fa.provider_id = i.provider_id AND fa.interaction_id = i.interaction_id
WHERE i.provider_id = :P AND i.started_at >= :'S'::timestamptz - (:'E'::timestamptz - :'S'::timestamptz) AND i.started_at < :'E'
GROUP BY 1
