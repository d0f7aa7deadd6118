-- CustomerEndpoint, exact parts only: uniqueCustomers and newCustomers per bucket, per channel and in total (distinct
-- counts over the range's interactions, interactions_by_start index-only, and customer_first_interaction by key).
SELECT x.bucket, x.channel,
       count(DISTINCT x.customer_id) AS unique_customers,
       CASE WHEN GROUPING(x.bucket) = 0
            THEN count(DISTINCT x.customer_id) FILTER (WHERE width_bucket(f.first_started_at, :'B'::timestamptz[]) = x.bucket)
            ELSE count(DISTINCT x.customer_id) FILTER (WHERE width_bucket(f.first_started_at, :'B'::timestamptz[]) >= 1) END AS new_customers
FROM (
    SELECT i.customer_id, i.channel, width_bucket(i.started_at, :'B'::timestamptz[]) AS bucket
    FROM interactions i
    WHERE i.provider_id = :P AND i.started_at >= :'S' AND i.started_at < :'E' AND i.customer_id IS NOT NULL
) x
LEFT JOIN customer_first_interaction f ON f.provider_id = :P AND f.customer_id = x.customer_id
GROUP BY GROUPING SETS ((x.bucket), (x.channel), ())
