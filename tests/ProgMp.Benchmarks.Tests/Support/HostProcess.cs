using System.Diagnostics;
using System.Globalization;

namespace ProgMp.Benchmarks.Tests.Support;

/// <summary>
/// A process a test starts (the plaintext proxy host, the namespace benchmark's script) with its
/// output collected line by line; every wait on it has a timeout, and disposing it kills it if it
/// is still running, so no test leaves one behind.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];

    private HostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the process wrote to standard error so far, one entry a line.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _error];
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/>; <paramref name="environment"/> entries replace the inherited ones.</summary>
    public static HostProcess Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start.");
        process.StandardInput.Close();
        return new HostProcess(process);
    }

    /// <summary>Starts the plaintext proxy host built beside the tests.</summary>
    public static HostProcess StartPlaintextHost(IEnumerable<string> arguments) =>
        Start("dotnet", [Path.Combine(TestContext.CurrentContext.TestDirectory, "ProgMp.Proxy.PlaintextHost.dll"), .. arguments]);

    /// <summary>The first line of standard output that starts with <paramref name="prefix"/>; throws if the process exits or <paramref name="timeout"/> passes first.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            lock (_gate)
            {
                var line = _output.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process exited ({_process.ExitCode}) before saying '{prefix}':\n{string.Join('\n', ErrorLines)}");
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Waits for the exit (killing the process and throwing after <paramref name="timeout"/>) and returns its code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the process did not exit within {timeout}:\n{string.Join('\n', ErrorLines)}");
        }

        // The last lines of output may still be in flight: the parameterless wait drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("kill did not start.");
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                lines.Add(line);
            }
        }
    }
}
