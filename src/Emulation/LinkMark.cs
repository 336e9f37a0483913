namespace ProgMp.Emulation;

/// <summary>
/// A boundary in one direction's byte stream: the bytes before <paramref name="Offset"/> (and after
/// the previous mark) reached a stage of the emulated link at <paramref name="Ticks"/>
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks). <paramref name="IsEnd"/> marks the end of the stream.
/// </summary>
internal readonly record struct LinkMark(long Offset, long Ticks, bool IsEnd);
