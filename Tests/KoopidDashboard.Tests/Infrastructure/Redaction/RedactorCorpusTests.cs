using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using KoopidDashboard.Infrastructure.Redaction;
using Xunit;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// Scores the redactor on corpus.jsonl: recall per entity type (detected count, capped at the
/// expected count per message, over expected count), the share of look-alikes that survive
/// verbatim, and extra (unexpected) detections. Figures are printed for docs/redaction.md.
/// </summary>
public sealed class RedactorCorpusTests(ITestOutputHelper output)
{
    private const double MinRecall = 0.99;
    private const double MinLookalikesKept = 0.98;

    private static readonly Redactor Redactor = new();

    [Fact]
    public void Meets_recall_and_lookalike_targets()
    {
        var corpus = CorpusEntry.Load();
        var expected = new Dictionary<string, int>();
        var found = new Dictionary<string, int>();
        var extra = new Dictionary<string, int>();
        int lookalikes = 0, kept = 0;
        var stopwatch = Stopwatch.StartNew();

        foreach (var entry in corpus)
        {
            var result = Redactor.Redact(entry.Text);
            foreach (var type in EntityTypes.All)
            {
                var want = entry.Entities.Count(t => t == type);
                var got = result.EntityTypes.Count(t => t == type);
                expected[type] = expected.GetValueOrDefault(type) + want;
                found[type] = found.GetValueOrDefault(type) + Math.Min(want, got);
                extra[type] = extra.GetValueOrDefault(type) + Math.Max(0, got - want);
                if (got != want)
                {
                    output.WriteLine($"MISMATCH [{entry.Source}/{entry.Lang}] {type}: want {want}, got {got}: {result.Text}");
                }
            }

            foreach (var lookalike in entry.Lookalikes ?? [])
            {
                lookalikes++;
                if (result.Text.Contains(lookalike, StringComparison.Ordinal))
                {
                    kept++;
                }
                else
                {
                    output.WriteLine($"LOST LOOK-ALIKE [{entry.Source}/{entry.Lang}] '{lookalike}': {result.Text}");
                }
            }
        }

        stopwatch.Stop();
        var byLanguage = string.Join(", ", corpus.GroupBy(e => e.Lang).Select(g => $"{g.Key} {g.Count()}"));
        output.WriteLine($"Corpus: {corpus.Count} messages ({byLanguage}); hand-written {corpus.Count(e => e.Source == "hand")}");
        output.WriteLine($"{"type",-14} {"recall",8} {"found",7} {"extra",6}");
        foreach (var type in EntityTypes.All)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{type,-14} {Ratio(found[type], expected[type]),8:P2} {found[type],3}/{expected[type],-3} {extra[type],6}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Look-alikes kept: {Ratio(kept, lookalikes):P2} ({kept}/{lookalikes})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Time: {stopwatch.Elapsed.TotalMilliseconds:F0} ms for {corpus.Count} messages"));

        Assert.True(corpus.Count >= 400, "corpus too small");
        foreach (var type in EntityTypes.All)
        {
            Assert.True(expected[type] >= 50, $"too few {type} examples: {expected[type]}");
            Assert.True(Ratio(found[type], expected[type]) >= MinRecall, $"{type} recall {Ratio(found[type], expected[type]):P2}");
        }

        Assert.True(Ratio(kept, lookalikes) >= MinLookalikesKept, $"look-alikes kept {Ratio(kept, lookalikes):P2}");
    }

    [Fact]
    public void Corpus_file_matches_generator()
    {
        // The "gen" lines must be exactly what CorpusGenerator produces, so the file stays
        // reproducible. After changing the generator, run this test once with
        // KOOPID_REGENERATE_CORPUS=1: it rewrites the source corpus.jsonl (hand lines kept).
        var corpus = CorpusEntry.Load();
        var generated = CorpusGenerator.Generate().Select(e => e.ToJson()).ToList();
        if (Environment.GetEnvironmentVariable("KOOPID_REGENERATE_CORPUS") == "1")
        {
            var hand = corpus.Where(e => e.Source == "hand").Select(e => e.ToJson());
            File.WriteAllLines(Path.Combine(SourceDirectory(), CorpusEntry.FileName), hand.Concat(generated));
            output.WriteLine("corpus.jsonl regenerated; rebuild and run the tests again.");
            return;
        }

        var fromFile = corpus.Where(e => e.Source == "gen").Select(e => e.ToJson()).ToList();
        Assert.Equal(generated.Count, fromFile.Count);
        Assert.Equal(generated, fromFile);
    }

    [Fact]
    public void Corpus_covers_all_languages_and_types()
    {
        var corpus = CorpusEntry.Load();
        Assert.Equal(["de", "en", "es", "fr"], corpus.Select(e => e.Lang).Distinct().Order());
        Assert.True(corpus.Count(e => e.Source == "hand") >= 100);
        Assert.All(corpus.SelectMany(e => e.Entities), t => Assert.Contains(t, EntityTypes.All));
        Assert.All(corpus, e => Assert.All(e.Lookalikes ?? [], l => Assert.Contains(l, e.Text, StringComparison.Ordinal)));
    }

    private static string SourceDirectory([CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path) ?? throw new InvalidOperationException("no caller path");

    private static double Ratio(int numerator, int denominator) =>
        denominator == 0 ? 1.0 : (double)numerator / denominator;
}
