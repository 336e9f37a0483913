using System.Diagnostics;

namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// A <c>progmp</c> process that runs until told to stop (emulate-path, the proxies): its output is
/// collected line by line as it comes, it can be sent a signal, and disposing it kills it if it is
/// still running, so no test leaves a process behind.
/// </summary>
internal sealed class RunningProgmp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];

    private RunningProgmp(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => Join(_output);

    public string Error => Join(_error);

    /// <summary>
    /// Starts <c>progmp</c> with <paramref name="arguments"/>. With <paramref name="defaultInterrupt"/>, through
    /// <c>env --default-signal=INT</c>: a process started from a non-interactive shell inherits SIGINT as
    /// ignored, and .NET keeps it so, which would make a SIGINT test depend on how the tests were started.
    /// </summary>
    public static RunningProgmp Start(IEnumerable<string> arguments, bool defaultInterrupt = false)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "progmp.dll");
        var start = new ProcessStartInfo(defaultInterrupt ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (defaultInterrupt)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        return new RunningProgmp(process);
    }

    /// <summary>Whether <c>env --default-signal</c> exists here (GNU coreutils 8.31 and later).</summary>
    public static bool CanResetInterrupt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { UseShellExecute = false, RedirectStandardError = true });
            return probe is not null && probe.WaitForExit(5_000) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Waits for an output line that <paramref name="match"/> accepts and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        for (var seen = 0; ; await Task.Delay(20, cancellationToken))
        {
            lock (_gate)
            {
                for (; seen < _output.Count; seen++)
                {
                    if (match(_output[seen]))
                    {
                        return _output[seen];
                    }
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"progmp exited ({_process.ExitCode}) first.\n--- stdout\n{Output}\n--- stderr\n{Error}");
            }
        }
    }

    /// <summary>Sends a signal by name (TERM, INT) with the system's kill command.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{Output}\n--- stderr\n{Error}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            lines.Add(line);
        }
    }

    private string Join(List<string> lines)
    {
        lock (_gate)
        {
            return string.Join('\n', lines);
        }
    }
}
