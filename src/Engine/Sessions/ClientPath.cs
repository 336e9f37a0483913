using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Sessions;

/// <summary>One of a client's paths: its address pair, and the subflow it has now, if any.</summary>
internal sealed class ClientPath
{
    public ClientPath(byte id, MultipathPath spec)
    {
        Id = id;
        WireId = id;
        Spec = spec;
        Backup = spec.Backup;
    }

    public byte Id { get; }

    /// <summary>
    /// The id the server knows this path by: on the wire, path 0 is the address of the session's
    /// first subflow, so the path that set the session up and the application's path 0 trade ids.
    /// </summary>
    public byte WireId { get; set; }

    public MultipathPath Spec { get; }

    public bool Backup { get; set; }

    public Subflow? Current { get; set; }

    /// <summary>Removed by the application: its loop ends and it is not opened again.</summary>
    public bool Removed { get; set; }

    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Completed when the current subflow ends, so the loop opens the path again.</summary>
    public TaskCompletionSource Ended { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
