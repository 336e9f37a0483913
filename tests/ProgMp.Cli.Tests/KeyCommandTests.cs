using ProgMp.Cli.Tests.Support;
using ProgMp.Engine;

namespace ProgMp.Cli.Tests;

/// <summary><c>progmp key</c> as a process: the file it writes, what it tells the operator, and its refusals.</summary>
[Parallelizable(ParallelScope.Children)]
public class KeyCommandTests
{
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Create_writes_an_owner_only_file_and_prints_what_each_side_must_be_told()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "laptop.key");

        var created = await ProgmpProcess.RunAsync(["key", "create", path, "--name", "laptop"]);
        var shown = await ProgmpProcess.RunAsync(["key", "show", path]);
        var idOnly = await ProgmpProcess.RunAsync(["key", "show", path, "--id"]);

        var id = MultipathIdentity.Load(path).PublicId;
        Assert.Multiple(() =>
        {
            Assert.That(created.ExitCode, Is.EqualTo(0), created.ToString);
            Assert.That(created.Output, Is.EqualTo($"""
                created {path}
                public id: {id}
                name:      laptop
                If this is a local proxy's key, add this line to the remote proxy's --authorized-clients file:
                  {id} laptop
                If this is the remote proxy's key, give the local proxy:
                  --remote-id {id}

                """), created.ToString);
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(shown.ExitCode, Is.EqualTo(0), shown.ToString);
            Assert.That(shown.Output, Is.EqualTo(created.Output[(created.Output.IndexOf('\n') + 1)..]), shown.ToString);
            Assert.That(idOnly.Output, Is.EqualTo(id + "\n"), idOnly.ToString);
        });
    }

    [Test]
    public async Task Create_never_replaces_a_file_and_exits_1()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("taken.key", "keep me");

        var result = await ProgmpProcess.RunAsync(["key", "create", path]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Is.EqualTo($"progmp: '{path}' exists; a key file is never replaced (remove it first if you mean to)\n"), result.ToString);
            Assert.That(File.ReadAllText(path), Is.EqualTo("keep me"));
        });
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Show_refuses_a_key_file_others_may_read_and_exits_1()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "open.key");
        MultipathIdentity.Create().Save(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await ProgmpProcess.RunAsync(["key", "show", path]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Is.EqualTo($"progmp: key file '{path}' is open to group or others (mode 0604); make it private with: chmod 600 '{path}'\n"), result.ToString);
            Assert.That(result.Output, Is.Empty);
        });
    }

    [Test]
    public async Task A_name_with_a_space_is_a_wrong_argument()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "k");

        var result = await ProgmpProcess.RunAsync(["key", "create", path, "--name", "my laptop"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.StartWith("progmp: --name: the name 'my laptop' may hold only letters, digits, '.', '_', '@' and '-'"), result.ToString);
            Assert.That(File.Exists(path), Is.False);
        });
    }
}
