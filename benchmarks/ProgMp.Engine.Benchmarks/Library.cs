using System.Reflection;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Engine.Benchmarks;

/// <summary>The scheduler library, embedded, compiled into a registry.</summary>
internal static class Library
{
    public static SchedulerRegistry Load()
    {
        var registry = new SchedulerRegistry(new SchedulerCompiler());
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".progmp", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var compilation = registry.Load(reader.ReadToEnd(), name);
            if (!compilation.Succeeded)
            {
                throw new InvalidOperationException($"{name} does not compile");
            }
        }

        return registry;
    }
}
