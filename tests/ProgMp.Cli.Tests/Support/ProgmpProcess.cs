using System.Diagnostics;

namespace ProgMp.Cli.Tests.Support;

/// <summary>Runs the real <c>progmp</c> command (the built progmp.dll beside the tests) as a process.</summary>
internal static class ProgmpProcess
{
    public static Task<ProcessResult> RunAsync(string[] arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "progmp.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ChildProcess.RunAsync(start, standardInput, timeout ?? TimeSpan.FromSeconds(60));
    }
}
