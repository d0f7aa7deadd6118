using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KoopidDashboard.Tests.Infrastructure.Http;

/// <summary>SPEC §8: structured access logs with partnerId, and no PII, keys or tokens in any log line at any level.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LoggingTests(PostgresFixture db)
{
    [Fact]
    public async Task Logs_record_the_partner_but_never_keys_tokens_or_message_text()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        const string secretText = "call me on +1 202 555 0143 or mail zoe.secret@example.org";
        var admin = app.KoopidAdmin();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T09:00:05Z", senderType = "customer", text = secretText },
            "{\"type\":\"message\",\"providerId\":" + p + ",\"text\":\"zoe.secret@example.org\"}"); // a rejected line carrying PII
        var (key, _) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(KoopidRoles.ProviderAdmin, p, "logs");
        using var response = await app.CreateClient().PostAsync($"/Dashboard/Interactions?apiKey={key}&partnerId=4242", new StringContent("{}"));

        var logs = string.Join('\n', app.Logs.Lines);
        Assert.Contains("/Dashboard/Interactions → 201", logs);
        Assert.Contains("partner 4242", logs);
        Assert.DoesNotContain(key, logs);
        Assert.DoesNotContain(admin.DefaultRequestHeaders.Authorization!.Parameter!, logs);
        Assert.DoesNotContain("zoe.secret", logs);
        Assert.DoesNotContain("555 0143", logs);
    }
}
