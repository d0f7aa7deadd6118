using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// <c>customer_first_interaction</c>: each customer's first stored interaction (min startedAt over every channel, all
/// stored history), which CustomerEndpoint's newCustomers needs (docs/performance.md). Kept exact by ingest in its
/// transaction, rebuilt by <c>rollups rebuild</c>, recomputed by retention for the customers whose first interaction was
/// purged: "first ever" means the first interaction still stored, as the raw path's min() computes it.
/// </summary>
public static class CustomerFirsts
{
    /// <summary>
    /// After an interactions upsert (<c>old_interactions</c>, <c>changed_interactions</c> as for the rollup deltas): a
    /// customer whose stored first interaction was changed away (moved later, or to another customer) is recomputed from
    /// the stored rows; every other customer of the new rows keeps least(stored first, its new rows' earliest start).
    /// </summary>
    public static async Task ApplyDeltaAsync(NpgsqlConnection connection, CancellationToken ct, bool onlyInserts = false)
    {
        await using var command = new NpgsqlCommand(onlyInserts ? InsertOnlySql : DeltaSql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// An all-new batch (no <c>old_interactions</c>): no stored first can be lost, so the general delta reduces to its last
    /// statement, without its two temp tables.
    /// </summary>
    private const string InsertOnlySql = """
        INSERT INTO customer_first_interaction AS f
        SELECT provider_id, customer_id, min(started_at) FROM changed_interactions WHERE customer_id IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (provider_id, customer_id) DO UPDATE SET first_started_at = EXCLUDED.first_started_at
        WHERE EXCLUDED.first_started_at < f.first_started_at
        """;

    private const string DeltaSql = """
            CREATE TEMP TABLE first_delta ON COMMIT DROP AS
            SELECT c.provider_id, o.customer_id AS old_customer, o.started_at AS old_at, c.customer_id AS new_customer, c.started_at AS new_at
            FROM changed_interactions c -- the rows the upsert wrote (no lookup into every monthly partition)
            LEFT JOIN old_interactions o USING (provider_id, interaction_id);

            CREATE TEMP TABLE first_lost ON COMMIT DROP AS
            SELECT DISTINCT d.provider_id, d.old_customer AS customer_id
            FROM first_delta d
            JOIN customer_first_interaction f ON f.provider_id = d.provider_id AND f.customer_id = d.old_customer
            WHERE d.old_at = f.first_started_at AND (d.new_customer IS DISTINCT FROM d.old_customer OR d.new_at > d.old_at);

            DELETE FROM customer_first_interaction f USING first_lost l
            WHERE f.provider_id = l.provider_id AND f.customer_id = l.customer_id;

            INSERT INTO customer_first_interaction
            SELECT l.provider_id, l.customer_id, m.first_started_at
            FROM first_lost l
            CROSS JOIN LATERAL (SELECT min(i.started_at) AS first_started_at FROM interactions i
                                WHERE i.provider_id = l.provider_id AND i.customer_id = l.customer_id) m
            WHERE m.first_started_at IS NOT NULL
            ORDER BY 1, 2;

            INSERT INTO customer_first_interaction AS f
            SELECT provider_id, new_customer, min(new_at) FROM first_delta WHERE new_customer IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (provider_id, customer_id) DO UPDATE SET first_started_at = EXCLUDED.first_started_at
            WHERE EXCLUDED.first_started_at < f.first_started_at;
            """;

    /// <summary>Recomputes one provider's table from its stored interactions (caller holds the provider's ingest lock).</summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, long providerId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM customer_first_interaction WHERE provider_id = @ProviderId", new { ProviderId = providerId }, cancellationToken: ct));
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO customer_first_interaction
            SELECT provider_id, customer_id, min(started_at) FROM interactions
            WHERE provider_id = @ProviderId AND customer_id IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2
            """, new { ProviderId = providerId }, cancellationToken: ct));
    }

    /// <summary>
    /// After retention purged interactions older than <paramref name="cutoff"/>: the provider's customers whose first
    /// interaction was older get the first one still stored (or leave the table). Caller holds the provider's lock.
    /// </summary>
    public static async Task<int> AfterPurgeAsync(NpgsqlConnection connection, long providerId, DateTime cutoff, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM customer_first_interaction f
            WHERE f.provider_id = @ProviderId AND f.first_started_at < @Cutoff
              AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.provider_id = f.provider_id AND i.customer_id = f.customer_id);
            UPDATE customer_first_interaction f
            SET first_started_at = (SELECT min(i.started_at) FROM interactions i WHERE i.provider_id = f.provider_id AND i.customer_id = f.customer_id)
            WHERE f.provider_id = @ProviderId AND f.first_started_at < @Cutoff;
            """, new { ProviderId = providerId, Cutoff = cutoff }, cancellationToken: ct));
}
