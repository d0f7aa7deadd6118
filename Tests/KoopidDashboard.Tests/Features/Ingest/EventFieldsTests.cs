using System.Globalization;
using System.Text.Json;
using KoopidDashboard.Features.Ingest;
using Xunit;

namespace KoopidDashboard.Tests.Features.Ingest;

/// <summary>The <c>…Z</c> fast path of <see cref="EventFields.OptionalTime"/> gives what the general parser gives, and rejects what it rejects.</summary>
public sealed class EventFieldsTests
{
    private static EventFields Fields(string time) =>
        new(JsonDocument.Parse(JsonSerializer.Serialize(new { at = time })).RootElement);

    [Theory]
    [InlineData("2025-10-16T00:32:25Z")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2025-10-16T00:32:25.5Z")]
    [InlineData("2025-10-16t00:32:25z")]
    [InlineData("2025-10-16T00:32:25-05:00")]
    public void Valid_timestamps_read_as_the_general_parser_reads_them(string text)
    {
        var expected = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None).UtcDateTime;
        var actual = Fields(text).OptionalTime("at");
        Assert.Equal(expected, actual);
        Assert.Equal(DateTimeKind.Utc, actual!.Value.Kind);
    }

    [Theory]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-10-16T24:00:00Z")]
    [InlineData("2025-10-16T00:60:00Z")]
    [InlineData("2025-10-16T00:00:61Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2025-10-1600:32:25Z")]
    [InlineData("2025-1a-16T00:32:25Z")]
    public void Invalid_timestamps_are_rejected(string text) =>
        Assert.Throws<IngestLineException>(() => Fields(text).OptionalTime("at"));
}
