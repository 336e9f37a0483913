namespace ProgMp.Runtime.Execution;

/// <summary>Where <c>PRINT</c> goes when a host runs schedulers (the engine: a rate-limited logger).</summary>
internal interface IPrintSink
{
    /// <summary>Asked before the text is formatted, so that a suppressed print costs nothing.</summary>
    bool ShouldPrint(long nowMs);

    void Print(string schedulerName, string text);
}
