using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Validators;

namespace ProgMp.Benchmarks;

/// <summary>
/// The default configuration, but a build without JIT optimizations is an error, not a footnote, and
/// the generated project may take longer to build than the default two minutes: it rebuilds the
/// whole tree, the Java ANTLR step included, which overran on a busy 2-core machine.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddValidator(JitOptimizationsValidator.FailOnError)
        .WithBuildTimeout(TimeSpan.FromMinutes(10));
}
