namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// The plan buckets an agent session touches (AgentAccessStats, AgentSessionStats), computed from the session instead of
/// joining every session to every bucket: a join on "login &lt; hi AND until &gt; lo" cannot use an index, so 34 k sessions
/// × 58 weekly buckets were 2 M comparisons (≈ 140 ms) for a 400-day call.
/// </summary>
public static class SessionBuckets
{
    /// <summary>
    /// A LATERAL row source <c>b (bucket, lo, hi)</c> over a source aliased <c>s</c> with columns <c>login_at</c> and
    /// <c>until</c>: the buckets [lo, hi) that meet the open span (login_at, until), plus the bucket holding login_at. With
    /// width_bucket's "bounds[i] ≤ x &lt; bounds[i+1]", hi &gt; login_at ⇔ bucket ≥ width_bucket(login_at), and lo &lt; until ⇔
    /// bucket ≤ width_bucket(until − 1 µs) (timestamps have microsecond resolution, so this is exact); then clipped to the
    /// plan's buckets 1 … n.
    /// </summary>
    public const string Touched = """
        CROSS JOIN LATERAL (
            SELECT n AS bucket, (@Bounds)[n] AS lo, (@Bounds)[n + 1] AS hi
            FROM generate_series(greatest(width_bucket(s.login_at, @Bounds), 1),
                                 least(greatest(width_bucket(s.login_at, @Bounds), width_bucket(s.until - interval '1 microsecond', @Bounds)),
                                       cardinality(@Bounds) - 1)) AS n
        ) b
        """;
}
