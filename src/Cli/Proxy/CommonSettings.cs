using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Proxy;

/// <summary>What <see cref="CommonOptions"/> read from a command line.</summary>
internal sealed record CommonSettings(IReadOnlyList<string> Schedulers, string DefaultScheduler, LogLevel LogLevel, string? Control = null, string? TokenFile = null);
