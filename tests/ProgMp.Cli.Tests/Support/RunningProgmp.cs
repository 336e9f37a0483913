using System.Diagnostics;
using System.Text;

namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// A long-running <c>progmp</c> process (a proxy): started, awaited until it prints its ready line,
/// stopped with SIGTERM, and killed at the latest when disposed, so no test leaves one behind.
/// </summary>
internal sealed class RunningProgmp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;

    private RunningProgmp(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>The line that said the process is ready (<c>listening on ...</c>).</summary>
    public string ReadyLine => _ready.Task.Result;

    /// <summary>Everything the process wrote to standard error so far (its log).</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>progmp ARGS</c> and waits for a line on standard output that starts with <paramref name="readyPrefix"/>.</summary>
    public static async Task<RunningProgmp> StartAsync(string[] arguments, CancellationToken cancellationToken, string readyPrefix = "listening on ")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "progmp.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var running = new RunningProgmp(process, "progmp " + string.Join(' ', arguments));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                running._ready.TrySetException(new InvalidOperationException($"{running._name} closed its output before it was ready.\n{running.Error}"));
                return;
            }

            lock (running._output)
            {
                running._output.AppendLine(e.Data);
            }

            if (e.Data.StartsWith(readyPrefix, StringComparison.Ordinal))
            {
                running._ready.TrySetResult(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (running._error)
                {
                    running._error.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await running._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        return running;
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

    /// <summary>Sends SIGTERM and returns the exit code (kills and throws if it does not stop in time).</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
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

    public override string ToString() => $"{_name}\n--- stdout\n{_output}\n--- stderr\n{Error}";

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
            // It never started, or is already gone.
        }

        _process.Dispose();
    }
}
