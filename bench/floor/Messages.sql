-- Messages, exact part only: interactions (distinct interactionId per bucket and over the range, the denominator of
-- perInteraction), from message_rollup_15m's rows keyed by interaction (the fewest rows that still know the interaction;
-- the raw messages are ≈ 4.5× more). Counts and sums would come from the hourly totals and are left out.
SELECT width_bucket(r.bucket_start, :'B'::timestamptz[]) AS bucket, count(DISTINCT r.interaction_id) AS interactions
FROM message_rollup_15m r
WHERE r.provider_id = :P AND r.bucket_start >= :'S' AND r.bucket_start < :'E'
GROUP BY GROUPING SETS ((1), ())
