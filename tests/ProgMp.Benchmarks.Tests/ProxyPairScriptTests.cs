using ProgMp.Benchmarks.Tests.Support;

namespace ProgMp.Benchmarks.Tests;

/// <summary>
/// benchmarks/netns/proxy-pair.sh says in one line, with exit code 2, why it cannot run here, before
/// it makes anything. (The measurement itself needs root, namespaces and a Release build: it is run
/// by hand, see benchmarks/README.md.)
/// </summary>
[CancelAfter(60_000)]
public class ProxyPairScriptTests
{
    private static readonly TimeSpan s_exit = TimeSpan.FromSeconds(30);
    private string _copy = "";

    [SetUp]
    public void CopyTheScript()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("a bash script for Linux");
            return;
        }

        // A copy anyone may read, so that it can run as an unprivileged user too.
        _copy = Path.Combine(Path.GetTempPath(), $"proxy-pair-{Guid.NewGuid():N}.sh");
        File.Copy(Path.Combine(RepositoryRoot(), "benchmarks", "netns", "proxy-pair.sh"), _copy);
        File.SetUnixFileMode(_copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [TearDown]
    public void RemoveTheCopy()
    {
        if (_copy.Length > 0)
        {
            File.Delete(_copy);
        }
    }

    [Test]
    public async Task Run_by_another_user_than_root_it_says_it_needs_root()
    {
        var asRoot = Environment.UserName == "root";
        Assume.That(!asRoot || File.Exists("/usr/bin/setpriv"), "run as root, this needs setpriv to drop to nobody");

        await using var script = asRoot
            ? HostProcess.Start("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/bash", _copy])
            : HostProcess.Start("/bin/bash", [_copy]);

        Assert.That(await script.WaitForExitAsync(s_exit), Is.EqualTo(2));
        Assert.That(script.ErrorLines, Is.EqualTo(new[] { "proxy-pair: needs root: it makes network namespaces (run it with sudo)" }));
    }

    [Test]
    public async Task Without_iperf3_it_names_what_is_missing()
    {
        Assume.That(Environment.UserName == "root", "the root check comes first");
        var empty = Directory.CreateTempSubdirectory("proxy-pair-path-");
        try
        {
            await using var script = HostProcess.Start("/bin/bash", [_copy], new Dictionary<string, string> { ["PATH"] = empty.FullName });

            Assert.That(await script.WaitForExitAsync(s_exit), Is.EqualTo(2));
            Assert.That(script.ErrorLines, Has.Count.EqualTo(1));
            Assert.That(script.ErrorLines.Single(), Does.StartWith("proxy-pair: 'iperf3' is missing"));
        }
        finally
        {
            empty.Delete();
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProgMp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ProgMp.sln not found above the test directory.");
    }
}
