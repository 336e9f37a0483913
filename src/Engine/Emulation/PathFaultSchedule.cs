using System.Diagnostics;

namespace ProgMp.Engine.Emulation;

/// <summary>
/// A scripted fault for a whole run (what <c>progmp emulate-path --fail-at S --restore-at S</c> asks
/// for): fail the path at <see cref="FailAt"/> and, optionally, restore it at <see cref="RestoreAt"/>,
/// both counted from the moment <see cref="RunAsync"/> is called.
/// </summary>
internal sealed record PathFaultSchedule
{
    public PathFaultSchedule(TimeSpan failAt, PathFailureMode mode, TimeSpan? restoreAt = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failAt, TimeSpan.Zero);
        if (restoreAt is { } restore && restore <= failAt)
        {
            throw new ArgumentOutOfRangeException(nameof(restoreAt), restore, "The restore must come after the failure.");
        }

        FailAt = failAt;
        Mode = mode;
        RestoreAt = restoreAt;
    }

    public TimeSpan FailAt { get; }

    public PathFailureMode Mode { get; }

    public TimeSpan? RestoreAt { get; }

    /// <summary>Fails and restores <paramref name="emulator"/> on time; completes after the last step.</summary>
    public async Task RunAsync(PathEmulator emulator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var start = Stopwatch.GetTimestamp();
        await DelayUntilAsync(start, FailAt, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        emulator.Fail(Mode);
        if (RestoreAt is { } restoreAt)
        {
            await DelayUntilAsync(start, restoreAt, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            emulator.Restore();
        }
    }

    // Against the start, not the previous step, so that the steps do not drift by the time each took.
    private static Task DelayUntilAsync(long start, TimeSpan at, CancellationToken cancellationToken)
    {
        var remaining = at - Stopwatch.GetElapsedTime(start);
        return remaining > TimeSpan.Zero ? Task.Delay(remaining, cancellationToken) : Task.CompletedTask;
    }
}
