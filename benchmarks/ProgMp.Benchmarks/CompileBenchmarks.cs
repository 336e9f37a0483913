using BenchmarkDotNet.Attributes;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Benchmarks;

/// <summary>
/// Compiling a typical scheduler (<c>schedulers/minRtt.progmp</c>) once the compiler is warm: the
/// whole <see cref="SchedulerCompiler.Compile"/> against parsing and binding alone (the baseline),
/// which leaves emitting the expression tree and compiling it to IL and machine code as the rest.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private readonly SchedulerCompiler _compiler = new();
    private string _source = null!;

    [GlobalSetup]
    public void Setup() => _source = SchedulerLibrary.Programs.Single(p => p.Name == "minRtt").Source;

    [Benchmark(Baseline = true)]
    public bool ParseAndBind() => SchedulerCompiler.Bind(_source, "minRtt.progmp").Program is not null;

    [Benchmark]
    public SchedulerCompilation Compile() => _compiler.Compile(_source, "minRtt.progmp");
}
