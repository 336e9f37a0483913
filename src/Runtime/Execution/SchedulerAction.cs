using System.Runtime.InteropServices;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Execution;

/// <summary>One effect of an invocation, recorded in order.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct SchedulerAction(
    SchedulerActionKind Kind,
    SubflowView? Subflow,
    Packet? Packet,
    int Register,
    long Value,
    string? Text);
