namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// The buckets an agent session may overlap, for AgentSessionStats and AgentAccessStats (loggedInSeconds, logins,
/// uniqueAgents). Instead of testing every session against every bucket (sessions × buckets comparisons, each reading
/// the bounds array), each session generates only the bucket numbers from its login's bucket to its end's bucket by
/// width_bucket; the caller keeps its own overlap predicate as a filter, so the rows are exactly those of a join with
/// every bucket (the generated set is a superset of the matching buckets).
/// </summary>
public static class SessionBuckets
{
    /// <summary>
    /// A lateral join after <c>FROM sessions s</c>, where the CTE gives <c>s.login_at</c> and <c>s.until</c> (logout, or
    /// now for an open session). Yields <c>b.bucket</c>, <c>b.lo</c>, <c>b.hi</c> from <c>@Bounds</c>. Keep
    /// <c>sessions</c> a MATERIALIZED CTE: the CTE scan keeps this small join out of a parallel plan, which the planner
    /// would otherwise choose from generate_series' default row estimate.
    /// </summary>
    public const string Lateral = """
        CROSS JOIN LATERAL (
                SELECT n AS bucket, (@Bounds)[n] AS lo, (@Bounds)[n + 1] AS hi
                FROM generate_series(greatest(width_bucket(s.login_at, @Bounds), 1),
                                     least(width_bucket(greatest(s.login_at, s.until), @Bounds), cardinality(@Bounds) - 1)) AS n
            ) b
        """;
}
