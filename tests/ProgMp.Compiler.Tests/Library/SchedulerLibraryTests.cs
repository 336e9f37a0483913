using ProgMp.Compiler.Tests.Diagnostics;

namespace ProgMp.Compiler.Tests.Library;

/// <summary>The library every host gets from the compiler assembly: the whole <c>schedulers/</c> folder, as written there, in registries of their own.</summary>
public class SchedulerLibraryTests
{
    [Test]
    public void The_library_is_every_program_of_the_schedulers_folder_named_after_its_file()
    {
        var folder = Path.Combine(DiagnosticTests.RepositoryRoot(), "schedulers");
        var files = Directory.GetFiles(folder, "*.progmp").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.That(SchedulerLibrary.Programs.Select(p => p.Path), Is.EqualTo(files), "sorted by name, one per file");
        foreach (var program in SchedulerLibrary.Programs)
        {
            Assert.That(program.Path, Is.EqualTo(program.Name + ".progmp"));
            Assert.That(program.Source, Is.EqualTo(File.ReadAllText(Path.Combine(folder, program.Path!))), program.Name);
        }
    }

    [Test]
    public void Each_registry_holds_the_library_and_is_its_own()
    {
        var first = SchedulerLibrary.CreateRegistry();
        var second = SchedulerLibrary.CreateRegistry();

        Assert.That(first.Names, Is.EqualTo(SchedulerLibrary.Programs.Select(p => p.Name)));
        Assert.That(first.Names, Does.Contain("minRtt").And.Contain("redundant"));
        Assert.That(first.Load("SCHEDULER mine; IF (!Q.EMPTY) { DROP(Q.POP()); }").Succeeded, Is.True, "a registry compiles programs of one's own");
        Assert.That(first.Remove("redundant"), Is.True);

        Assert.That(second.Contains("mine"), Is.False);
        Assert.That(second.Contains("redundant"), Is.True);
        Assert.That(SchedulerLibrary.CreateRegistry().Names, Is.EqualTo(SchedulerLibrary.Programs.Select(p => p.Name)));
    }
}
