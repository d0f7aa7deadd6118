using Dapper;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Database;

/// <summary>The names of a provider's agents, for the agent rows that AgentSessionStats and AgentAccessStats form in the service.</summary>
public static class AgentNames
{
    private const string Sql = "SELECT agent_id, name FROM agents WHERE provider_id = @ProviderId AND agent_id = ANY(@AgentIds)";

    /// <summary>Agent id → name (null when unnamed); an id the provider has no agent row for is left out, as a LEFT JOIN leaves it NULL.</summary>
    public static async Task<Dictionary<long, string?>> ReadAsync(NpgsqlConnection connection, long providerId, ICollection<long> agentIds, CancellationToken ct) =>
        agentIds.Count == 0 ? [] : (await connection.QueryAsync<(long AgentId, string? Name)>(new CommandDefinition(Sql,
            new { ProviderId = providerId, AgentIds = agentIds.ToArray() }, cancellationToken: ct))).ToDictionary(a => a.AgentId, a => a.Name);
}
