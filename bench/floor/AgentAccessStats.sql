-- AgentAccessStats, exact part only: uniqueAgents (distinct agents logged in during each bucket, each agent's and in
-- total), each session against only the buckets it spans.
WITH sessions AS MATERIALIZED (
    SELECT s.agent_id, s.login_at, greatest(s.login_at, coalesce(s.logout_at, now())) AS until
    FROM agent_sessions s
    WHERE s.provider_id = :P AND s.login_at < :'E' AND (s.logout_at IS NULL OR s.logout_at >= :'S')
)
SELECT grouping(n, agent_id) AS grp, n AS bucket, agent_id, count(DISTINCT agent_id) AS unique_agents
FROM (
    -- generate_series in the SELECT list (one ProjectSet node), as SessionBuckets.Spans does; one row per agent and
    -- bucket (hashed) before the grouping sets sort, as the slice does
    SELECT DISTINCT s.agent_id,
           generate_series(greatest(width_bucket(s.login_at, :'B'::timestamptz[]), 1),
                           least(width_bucket(s.until, :'B'::timestamptz[]), cardinality(:'B'::timestamptz[]) - 1)) AS n
    FROM sessions s
) x
GROUP BY GROUPING SETS ((n), (agent_id), ())
