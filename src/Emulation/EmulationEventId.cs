namespace ProgMp.Emulation;

/// <summary>Event ids of the path emulator's log messages (9100–9199). Never reuse an id.</summary>
internal static class EmulationEventId
{
    public const int Listening = 9100;
    public const int Stopped = 9101;
    public const int ProfileChanged = 9102;
    public const int PathFailed = 9103;
    public const int PathRestored = 9104;
    public const int ConnectionAccepted = 9110;
    public const int ConnectionClosed = 9111;
    public const int ConnectionAborted = 9112;
    public const int ConnectionResetWhileFailed = 9113;
    public const int TargetUnreachable = 9114;
    public const int AcceptFailed = 9115;
    public const int RelayFailed = 9116;
}
