using System.Diagnostics;
using System.Globalization;

namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// A <c>progmp</c> process that runs until told to stop (emulate-path, the proxies): its output is
/// collected line by line as it comes, it can be awaited until it says it is ready, sent a signal, and
/// disposing it kills it if it is still running, so no test leaves a process behind.
/// </summary>
internal sealed class RunningProgmp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private string? _readyLine;

    private RunningProgmp(Process process, string name)
    {
        _process = process;
        _name = name;
        _process.OutputDataReceived += (_, e) => Add(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The line that said the process is ready (see <see cref="StartAsync"/>).</summary>
    public string ReadyLine => _readyLine ?? throw new InvalidOperationException("Not started with StartAsync.");

    public string Output => Join(_output);

    /// <summary>Everything the process wrote to standard error so far (its log).</summary>
    public string Error => Join(_error);

    /// <summary>
    /// Starts <c>progmp</c> with <paramref name="arguments"/>. With <paramref name="defaultInterrupt"/>, through
    /// <c>env --default-signal=INT</c>: a process started from a non-interactive shell inherits SIGINT as
    /// ignored, and .NET keeps it so, which would make a SIGINT test depend on how the tests were started.
    /// </summary>
    public static RunningProgmp Start(IEnumerable<string> arguments, bool defaultInterrupt = false)
    {
        var list = arguments.ToList();
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
        foreach (var argument in list)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        return new RunningProgmp(process, "progmp " + string.Join(' ', list));
    }

    /// <summary>Starts <c>progmp ARGS</c> and waits (60 s at most) for an output line that starts with <paramref name="readyPrefix"/>.</summary>
    public static async Task<RunningProgmp> StartAsync(string[] arguments, CancellationToken cancellationToken, string readyPrefix = "listening on ")
    {
        var running = Start(arguments);
        try
        {
            running._readyLine = await running.WaitForLineAsync(l => l.StartsWith(readyPrefix, StringComparison.Ordinal), cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        return running;
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
                // Lines may still be in flight after the exit: one last look before giving up.
                _process.WaitForExit();
                lock (_gate)
                {
                    var late = _output.Skip(seen).FirstOrDefault(match);
                    if (late is not null)
                    {
                        return late;
                    }
                }

                throw new InvalidOperationException($"{_name} exited ({_process.ExitCode}) first.\n{this}");
            }
        }
    }

    /// <summary>Waits until the log (standard error) contains <paramref name="text"/> <paramref name="count"/> times.</summary>
    public async Task WaitForLogAsync(string text, int count, CancellationToken cancellationToken)
    {
        while (CountInLog(text) < count)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with {_process.ExitCode}.\n{Error}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public int CountInLog(string text)
    {
        var log = Error;
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Sends a signal by name (TERM, INT) with the system's kill command.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Sends SIGTERM and returns the exit code (kills and throws if it does not stop in time).</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            await SignalAsync("TERM", CancellationToken.None);
        }

        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_name} did not stop after SIGTERM.\n{Error}");
        }

        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public override string ToString() => $"{_name}\n--- stdout\n{Output}\n--- stderr\n{Error}";

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
            // It never started, or ended on its own meanwhile.
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
