namespace KoopidDashboard.Features.Seed;
public sealed record DemoOptions(int Seed = 20261125, int Days = 90, DateTimeOffset? Now = null, double Scale = 1.0);
public static class DemoDataGenerator { public static IEnumerable<string> Generate(DemoOptions options) { yield return "{\"type\":\"provider\",\"providerId\":1001,\"name\":\"Demo\",\"timeZone\":\"America/New_York\"}"; } }
