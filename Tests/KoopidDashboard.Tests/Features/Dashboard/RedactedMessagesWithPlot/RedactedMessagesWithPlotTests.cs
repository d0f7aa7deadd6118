using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;
using KoopidDashboard.Tests.Support;
using Xunit.Abstractions;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessagesWithPlot;

[Collection(PostgresCollection.Name)]
public sealed class RedactedMessagesWithPlotTests(PostgresFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // [2026-03-07 00:00 EST, 2026-03-10 00:00 EDT): three local days, the middle one 23 h
    private static string Url(long p, string viewtype) => $"/Dashboard/{p}/RedactedMessagesWithPlot?start=1772859600000&end=1773115200000&viewtype={viewtype}";

    private async Task<long> NewYorkProviderAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "America/New_York"), Interaction(p, 1, "2026-03-08T04:00:00Z"),
            Message(p, 1, 1, "2026-03-08T04:30:00Z", "card 4111111111111111"),      // 03-07 23:30 EST: day 03-07, hour 23
            Message(p, 2, 1, "2026-03-08T15:00:00Z", "Let me check", "agent", 7),   // 03-08 11:00 EDT: day 03-08, hour 11
            Message(p, 3, 1, "2026-03-08T15:20:00Z", "thanks"),                     // 03-08 11:20 EDT: day 03-08, hour 11
            Message(p, 4, 1, "2026-03-09T03:59:00Z", "Anything else?", "bot"),      // 03-08 23:59 EDT: day 03-08, hour 23
            Message(p, 5, 1, "2026-03-09T04:00:00Z", "closed", "system"));          // 03-09 00:00 EDT: day 03-09, hour 00
        return p;
    }

    [Fact]
    public async Task Daily_view_counts_messages_per_local_day_with_the_seed_keys()
    {
        var p = await NewYorkProviderAsync();

        var body = await GetObjectAsync(app.ProviderAdmin(p), Url(p, "daily"));

        Assert.Equal(["extractedMessages", "htmlView", "status"], body.Select(kv => kv.Key));
        Assert.Equal("success", (string)body["status"]!);
        var messages = body["extractedMessages"]!.AsArray();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], messages.Select(m => (long)m!["messageId"]!));
        Assert.Equal("card <CREDIT_CARD>", (string)messages[0]!["text"]!);
        var html = (string)body["htmlView"]!;
        Assert.Contains("Redacted messages per local day</text>", html);
        Assert.Contains("2026-03-07 · messages: 1</title>", html);
        Assert.Contains("2026-03-08 · messages: 3</title>", html); // 11:00, 11:20 and 23:59 EDT on the 23-hour day
        Assert.Contains("2026-03-09 · messages: 1</title>", html);
        AssertSelfContained(html);
    }

    [Fact]
    public async Task Hourly_view_counts_per_local_hour_of_day_and_an_unknown_viewtype_is_daily()
    {
        var p = await NewYorkProviderAsync();
        var client = app.ProviderAdmin(p);

        var html = (string)(await GetObjectAsync(client, Url(p, "hourly")))["htmlView"]!;
        var fallback = (string)(await GetObjectAsync(client, Url(p, "weekly%3Cb%3E")))["htmlView"]!;

        Assert.Contains("Redacted messages per local hour of day</text>", html);
        Assert.Contains("23 · messages: 2</title>", html); // 23:30 EST and 23:59 EDT
        Assert.Contains("11 · messages: 2</title>", html);
        Assert.Contains("00 · messages: 1</title>", html);
        Assert.Equal(3, html.Split("</title></rect>").Length - 1);
        Assert.Contains("Redacted messages per local day</text>", fallback);
    }

    [Fact]
    public async Task Hourly_view_uses_half_hour_zones_local_hours()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "Asia/Kolkata"),
            Message(p, 1, 1, "2026-03-08T03:45:00Z", "a"),  // 09:15 IST
            Message(p, 2, 1, "2026-03-08T04:29:59Z", "b"),  // 09:59:59 IST
            Message(p, 3, 1, "2026-03-08T04:30:00Z", "c"),  // 10:00 IST
            Message(p, 4, 1, "2026-03-08T18:30:00Z", "d")); // 00:00 IST on 03-09

        // [2026-03-07 18:30Z, 2026-03-09 18:30Z) = two IST days; tz defaults to the provider's
        var html = (string)(await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/RedactedMessagesWithPlot?start=1772908200000&end=1773081000000&viewtype=hourly"))["htmlView"]!;

        Assert.Contains("09 · messages: 2</title>", html);
        Assert.Contains("10 · messages: 1</title>", html);
        Assert.Contains("00 · messages: 1</title>", html);
        Assert.Contains("Asia/Kolkata &#183; 2026-03-08 00:00 to 2026-03-10 00:00 &#183; 4 messages", html); // HtmlEncode writes · as &#183;
    }

    [Fact]
    public async Task Sender_view_stacks_sender_types_with_a_legend()
    {
        var p = await NewYorkProviderAsync();

        var html = (string)(await GetObjectAsync(app.ProviderAdmin(p), Url(p, "sender")))["htmlView"]!;

        Assert.Contains("Redacted messages per local day by sender</text>", html);
        foreach (var title in new[] { "2026-03-07 · customer: 1", "2026-03-08 · customer: 1", "2026-03-08 · agent: 1", "2026-03-08 · bot: 1", "2026-03-09 · system: 1" })
            Assert.Contains(title + "</title>", html);
        foreach (var legend in new[] { "customer", "agent", "bot", "system" })
            Assert.Contains($">{legend}</text>", html);
    }

    [Fact]
    public async Task An_empty_range_says_no_redacted_messages_and_still_draws_empty_axes()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));

        var body = await GetObjectAsync(app.ProviderAdmin(p), Url(p, "daily"));

        Assert.Equal("No redacted messages", (string)body["status"]!);
        Assert.Empty(body["extractedMessages"]!.AsArray());
        Assert.Contains("No redacted messages in this range", (string)body["htmlView"]!);
    }

    [Fact]
    public async Task Extracted_messages_stop_at_1000_while_the_plot_counts_them_all()
    {
        var p = PostgresFixture.NewProviderId();
        var start = new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero);
        var events = new List<object> { Ndjson.Provider(p) };
        events.AddRange(Enumerable.Range(1, 1001).Select(i => Message(p, i, 1, start.AddSeconds(i).ToString("O"), $"message {i}")));
        await Ndjson.IngestAsync(app.KoopidAdmin(), events.ToArray());

        var body = await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/RedactedMessagesWithPlot?start=1772928000000&end=1773014400000");

        var messages = body["extractedMessages"]!.AsArray();
        Assert.Equal(1000, messages.Count);
        Assert.Equal((1L, 1000L), ((long)messages[0]!["messageId"]!, (long)messages[^1]!["messageId"]!));
        Assert.Contains("2026-03-08 · messages: 1001</title>", (string)body["htmlView"]!);
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("hourly")]
    [InlineData("sender")]
    public async Task The_page_renders_in_headless_chromium(string viewtype)
    {
        // ./test.sh installs Chromium; a machine that cannot must opt out explicitly, never pass silently.
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("KOOPID_SKIP_BROWSER_TESTS") == "1")
        {
            output.WriteLine($"SKIPPED by KOOPID_SKIP_BROWSER_TESTS: {Chromium} is missing; the plot was not rendered.");
            return;
        }
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (./test.sh does this as root).");
        var p = await NewYorkProviderAsync();
        var html = (string)(await GetObjectAsync(app.ProviderAdmin(p), Url(p, viewtype)))["htmlView"]!;

        var dir = Directory.CreateTempSubdirectory("koopid-plot-");
        try
        {
            var page = Path.Combine(dir.FullName, "plot.html");
            var png = Path.Combine(dir.FullName, "plot.png");
            await File.WriteAllTextAsync(page, html);
            var run = Process.Start(new ProcessStartInfo(Chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(dir.FullName, "profile")}",
                $"--screenshot={png}", "--window-size=900,600", new Uri(page).AbsoluteUri,
            ])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var stderr = run.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
                await run.WaitForExitAsync(timeout.Token);
            Assert.True(File.Exists(png), $"chromium wrote no screenshot (exit {run.ExitCode}): {await stderr}");

            if (Environment.GetEnvironmentVariable("KOOPID_PLOT_DIR") is { Length: > 0 } keep) // to look at the screenshots by eye
                File.Copy(png, Path.Combine(keep, $"plot-{viewtype}.png"), true);
            var image = Png.Read(await File.ReadAllBytesAsync(png));
            var (nonWhite, colours) = image.Figures();
            output.WriteLine($"viewtype={viewtype}: {image.Width}x{image.Height}, non-white {nonWhite:P2}, {colours} distinct colours");
            Assert.Equal((900, 600), (image.Width, image.Height));
            Assert.True(nonWhite >= 0.01, $"only {nonWhite:P2} of the screenshot is not white");
            Assert.True(colours >= 3, $"only {colours} distinct colours");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Chart_text_is_html_escaped_and_the_page_loads_nothing()
    {
        var spec = new ChartSpec("<script>alert(1)</script>", "a & b \"c\"", "x<y", "y'", ["<img src=x onerror=alert(1)>"],
            [new ChartSeries("</title><script>", "#1f77b4\"/><script>", [3])], true);

        var page = SvgChart.Page(spec);

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("a &amp; b &quot;c&quot;", page);
        Assert.Contains("fill=\"#1f77b4&quot;/&gt;&lt;script&gt;\"", page);
        Assert.Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"", page);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(5, 5, 1)]
    [InlineData(7, 8, 2)]       // 7 / 5 = 1.4 → step 2, top 8
    [InlineData(1001, 1200, 200)] // 200.2 → step 500? no: 1·10², 2·10² < 200.2 ≤ 5·10² → 500; see below
    public void Axis_scale_uses_1_2_5_steps(long max, long top, long step)
    {
        if (max == 1001)
            (top, step) = (1500, 500); // raw step 200.2: 2·10² is too small, 5·10² fits; ceil(1001 / 500) · 500 = 1500
        Assert.Equal((top, step), SvgChart.NiceScale(max));
    }

    [Fact]
    public async Task A_koopid_admin_and_another_providers_admin_get_403_and_a_bad_tz_is_400()
    {
        var p = await NewYorkProviderAsync();

        using var asKoopidAdmin = await app.KoopidAdmin().GetAsync(Url(p, "daily"));
        using var asOtherProvider = await app.ProviderAdmin(p + 1).GetAsync(Url(p, "daily"));
        using var badTz = await app.ProviderAdmin(p).GetAsync(Url(p, "daily") + "&tz=EST5EDT_nope");

        Assert.Equal(HttpStatusCode.Forbidden, asKoopidAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOtherProvider.StatusCode);
        Assert.Equal(["tz"], await ProblemFieldsAsync(badTz));
    }

    private static void AssertSelfContained(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html);
        Assert.Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"", html);
        foreach (var forbidden in new[] { "<script", "src=", "href=", "url(", "@import", "<link", "<iframe", "<object", "https://" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }
}
