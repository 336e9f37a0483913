using System.Diagnostics;
using System.Reflection;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// README.md's .NET sample is a program a user copies: it is built as a console project of its own,
/// with <c>dotnet new console</c>'s settings and nothing but references to <c>src/Engine</c> and
/// <c>src/Compiler</c>, and run to its end. A <c>#line</c> directive makes a compiler error name the
/// README's own line. The referenced projects are used as built for this test run, not built again.
/// </summary>
public class ReadmeSampleTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task The_readme_csharp_sample_builds_as_written_and_runs_to_its_end(CancellationToken cancellationToken)
    {
        var root = SchedulerLibraryTests.RepositoryRoot();
        var readme = Path.Combine(root, "README.md");
        var samples = MarkdownFences.Read(await File.ReadAllTextAsync(readme, cancellationToken)).Where(f => f.Language == "csharp").ToList();
        Assert.That(samples, Has.Count.EqualTo(1), "README.md has one C# sample");
        var sample = samples[0];
        using var project = new TemporaryDirectory();
        project.Write("Program.cs", $"#line {sample.StartLine + 1} \"{readme}\"\n{sample.Text}");
        project.Write("Sample.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(root, "src", "Engine", "ProgMp.Engine.csproj")}" />
                <ProjectReference Include="{Path.Combine(root, "src", "Compiler", "ProgMp.Compiler.csproj")}" />
              </ItemGroup>
            </Project>
            """);

        // No -o: it would apply to the referenced projects too, whose outputs are used where they are.
        var build = await ChildProcess.RunAsync(Dotnet(project.Path, "build", "-c", Configuration(),
            "-p:BuildProjectReferences=false", "-p:RestoreRecursive=false", "-p:UseSharedCompilation=false", "-nodeReuse:false", "--disable-build-servers"), null, TimeSpan.FromSeconds(180));
        Assert.That(build.ExitCode, Is.Zero, $"README.md's C# sample (from line {sample.StartLine}) does not build:\n{build}");

        var run = await ChildProcess.RunAsync(Dotnet(project.Path, Path.Combine("bin", Configuration(), "net10.0", "Sample.dll")), null, TimeSpan.FromSeconds(60));
        await TestContext.Out.WriteLineAsync(run.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString);
            Assert.That(run.Output, Does.Contain("the server got every byte"), run.ToString);
            Assert.That(run.Output, Does.Contain("Subflows = [SubflowStatistics { Id = "), "the statistics print their subflows: " + run);
        });
    }

    // The referenced projects' outputs are the ones this test run built, in its configuration.
    private static string Configuration() =>
        typeof(ReadmeSampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static ProcessStartInfo Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings belong to the build that started it, not to this one.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }
}
