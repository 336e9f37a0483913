namespace ProgMp.Engine.Subflows;

/// <summary>The TCP options a connection negotiated, <c>tcp_info.tcpi_options</c> (the TCPI_OPT_* bits).</summary>
[Flags]
internal enum TcpInfoOptions : byte
{
    None = 0,
    Timestamps = 1,
    Sack = 2,
    WindowScale = 4,
    Ecn = 8,
    EcnSeen = 16,
    SynData = 32,
}
