namespace ProgMp.Runtime.Execution;

/// <summary>The effects a program has, in the order <c>eval</c> reports them.</summary>
internal enum SchedulerActionKind
{
    Push,
    Drop,
    Set,
    SetUser,
    Print,
}
