using System.Diagnostics;

namespace ProgMp.Emulation;

/// <summary>
/// A scripted fault for a whole run (what <c>progmp emulate-path --fail-at S --restore-at S</c> asks
/// for): fail the path at <see cref="FailAt"/> and, optionally, restore it at <see cref="RestoreAt"/>,
/// both counted from the moment <see cref="RunAsync"/> is called.
/// </summary>
public sealed record PathFaultSchedule
{
    /// <summary>A fault of kind <paramref name="mode"/> at <paramref name="failAt"/>, restored at <paramref name="restoreAt"/> if given (which must come later).</summary>
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

    /// <summary>When the path fails, counted from the start of <see cref="RunAsync"/>.</summary>
    public TimeSpan FailAt { get; }

    /// <summary>How the path fails.</summary>
    public PathFailureMode Mode { get; }

    /// <summary>When the path works again, or null to leave it failed.</summary>
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
    private static async Task DelayUntilAsync(long start, TimeSpan at, CancellationToken cancellationToken)
    {
        // Timers may fire a little early (they count coarse ticks): wait again until the clock agrees.
        TimeSpan remaining;
        while ((remaining = at - Stopwatch.GetElapsedTime(start)) > TimeSpan.Zero)
        {
            await Task.Delay(remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining, cancellationToken).ConfigureAwait(false);
        }
    }
}
