using KoopidDashboard.Infrastructure.Cli;

namespace KoopidDashboard.Tests.Support;

/// <summary>Runs a command of the app's command line in-process and captures what it prints (tests of one collection run one at a time).</summary>
public static class CommandRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(IServiceProvider services, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await CommandLine.RunAsync(services, args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
