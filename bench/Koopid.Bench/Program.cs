using Koopid.Bench;

// dotnet Koopid.Bench.dll <command> [options]; see bench/README in BENCHMARKS.md.
var options = new Args(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "generate" => await Generator.RunAsync(options),
    "latency" => await LatencyRunner.RunAsync(options),
    "latency-report" => LatencyReport.Run(options),
    "latency-growth" => LatencyGrowth.Run(options),
    "ingest-http" => await IngestHttp.RunAsync(options),
    "export-rss" => await ExportRss.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Koopid.Bench commands:
          generate [--layers A-B] [--layer-messages N] [--days 400] [--end 2026-11-20] [--provider-base 7000] [--providers 50] [--out FILE]
          latency --url URL --token JWT --label NAME --out FILE.json [--url2 URL --label2 NAME --out2 FILE.json] [--n 50] [--case-seconds 30] [--end 2026-11-20] [--only ENDPOINT]
          latency-report --rollups A.json --raw B.json [--names A,B] [--latency-targets-only] [--no-targets] [--title T] [--out FILE.md]
          latency-growth --files 1000000=A.json,5000000=B.json [--title T] [--out FILE.md]
          ingest-http --url URL --token JWT --messages N [--batch 10000] [--concurrency 1] [--provider ID]
          export-rss --url URL --token JWT --pid PID --provider ID --start MS --end MS
        """);
    return 2;
}
