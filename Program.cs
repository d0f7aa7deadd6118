using FastEndpoints;
using KoopidDashboard.Infrastructure.Cli;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Redaction;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Features.Ingest;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddKoopidDatabase();
builder.Services.AddKoopidSecurity(builder.Configuration);
builder.Services.AddKoopidProblemDetails();
builder.Services.AddKoopidJson();
builder.Services.AddKoopidOpenApi();
builder.Services.AddSingleton<Redactor>();
builder.Services.AddKoopidIngest(builder.Configuration);
builder.Services.AddKoopidProtection(builder.Configuration);
builder.Services.AddHostedService<RetentionService>();
builder.Services.AddHostedService<MessageWordsWorker>();
builder.Services.AddFastEndpoints(o => o.IncludeAbstractValidators = true);

var app = builder.Build();

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(app.Services, args);

await StartupMigration.RunAsync(app.Services);

app.UseMiddleware<AccessLog>();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<JsonBodyNormalizer>();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseRequestTimeouts();
app.UseFastEndpoints(c =>
{
    c.Errors.UseProblemDetails(p => p.TypeTransformer = _ => Problems.TypeFor(400));
    // FastEndpoints copies ASP.NET Core's JSON options, which AddKoopidJson gave the source-generated context.
    KoopidJson.Configure(c.Serializer.Options);
    c.Serializer.ResponseSerializer = KoopidJson.ResponseWriter(c.Serializer.Options);
    c.Endpoints.Configurator = ep =>
    {
        ep.PreProcessor<TenancyPreProcessor>(Order.Before);
        ep.PreProcessor<TextInputGuard>(Order.Before);
    };
});

app.MapOpenApi();
app.MapScalarApiReference("/scalar", o => o.WithTitle("Koopid Dashboard API").DisableDefaultFonts());
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

await app.RunAsync();
return 0;

public partial class Program;
