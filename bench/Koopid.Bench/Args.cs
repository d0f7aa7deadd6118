using System.Globalization;

namespace Koopid.Bench;

/// <summary><c>--name value</c> pairs and flags.</summary>
public sealed class Args(string[] args)
{
    public string? Get(string name)
    {
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == name)
                return args[i + 1];
        return null;
    }

    public bool Has(string name) => args.Contains(name);
    public string Str(string name, string fallback) => Get(name) ?? fallback;
    public string Required(string name) => Get(name) ?? throw new ArgumentException($"{name} is required");
    public long Long(string name, long fallback) => Get(name) is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : fallback;
    public int Int(string name, int fallback) => (int)Long(name, fallback);
    public double Double(string name, double fallback) => Get(name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    public DateTimeOffset Date(string name, string fallback) =>
        DateTimeOffset.ParseExact(Str(name, fallback), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
