using System.Runtime.InteropServices;

namespace ProgMp.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a cancellation token for a long-running verb, which then stops
/// cleanly and exits 0. Registered here rather than left to System.CommandLine: its 2.0.0 handler
/// did not cancel the action's token on SIGTERM in our tests, and the runtime's default ends the
/// process with 143 before anything is disposed.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Completes when a signal came (or the caller's token was cancelled).</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The way to stop.
        }
    }

    /// <summary>Stops the verb as a signal would (the control endpoint's shutdown).</summary>
    public void Request()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the verb disposes everything and returns its exit code.
        context.Cancel = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A second signal while the verb is already disposing: it is stopping anyway.
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
