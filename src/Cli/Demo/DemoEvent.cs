using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Demo;

/// <summary>One log message of the demo or the client's engine, as the live view lists it.</summary>
internal sealed record DemoEvent(TimeSpan Time, LogLevel Level, string Text);
