using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Subflows;

/// <summary>Room for the kernel's <c>struct tcp_info</c> inside <see cref="TcpInfo"/>, so reading one allocates nothing.</summary>
[InlineArray(TcpInfo.Capacity)]
internal struct TcpInfoBytes
{
    private byte _element0;
}
