namespace ProgMp.Cli.Compare;

/// <summary>What <c>progmp compare</c> was asked to do, as the command line gave it.</summary>
internal sealed record CompareSettings
{
    /// <summary>Scheduler names or .progmp files, each with the argument that gave it (for messages).</summary>
    public required IReadOnlyList<(string Spec, string Option)> Schedulers { get; init; }

    /// <summary>Built-in names or scenario files; empty for every built-in.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Workload lines that replace every scenario's own; empty to keep them.</summary>
    public IReadOnlyList<string> Workloads { get; init; } = [];

    public int Repeats { get; init; } = 3;

    /// <summary>Multiplies every scenario's duration and event times (and bulk sizes).</summary>
    public double Scale { get; init; } = 1;

    public string? JsonFile { get; init; }

    public string? CsvFile { get; init; }

    public string? PlotDirectory { get; init; }

    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Error;
}
