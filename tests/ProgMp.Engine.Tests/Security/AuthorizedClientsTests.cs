namespace ProgMp.Engine.Tests.Security;

/// <summary>The authorized clients file: its format, errors that name the line, and reloading when it changes.</summary>
public class AuthorizedClientsTests
{
    private static readonly string s_alice = MultipathIdentity.Create("alice").PublicId;
    private static readonly string s_bob = MultipathIdentity.Create("bob").PublicId;

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("progmp-authorized-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Comments_and_blank_lines_are_skipped_and_a_name_is_the_rest_of_the_line()
    {
        var path = Write($"# the office\n\n  {s_alice} alice's laptop  \n\t\n{s_bob}\n# end\n");

        var clients = AuthorizedClients.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(clients.Count, Is.EqualTo(2));
            Assert.That(clients.TryAuthorize(s_alice, out var alice), Is.True);
            Assert.That(alice, Is.EqualTo("alice's laptop"));
            Assert.That(clients.TryAuthorize(s_bob, out var bob), Is.True);
            Assert.That(bob, Is.Empty);
            Assert.That(clients.TryAuthorize(MultipathIdentity.Create().PublicId, out _), Is.False);
        });
    }

    [TestCase("{alice}\nnot-an-id alice\n", 2, "'not-an-id' is not a public id (one starts with 'pmp-'); expected PUBLIC-ID [NAME]")]
    [TestCase("# ok\n\npmp-short\n", 3, "'pmp-short' is not a public id ('pmp-' and 43 base64url characters); expected PUBLIC-ID [NAME]")]
    [TestCase("{alice} one\n{bob}\n{alice} again\n", 3, "{alice} is already on line 1")]
    [TestCase("name-first {alice}\n", 1, "'name-first' is not a public id (one starts with 'pmp-'); expected PUBLIC-ID [NAME]")]
    public void A_malformed_line_is_an_error_that_names_the_file_and_line(string text, int line, string problem)
    {
        var path = Write(Expand(text));

        var error = Assert.Throws<CredentialException>(() => AuthorizedClients.Load(path));
        Assert.That(error!.Message, Is.EqualTo($"{path}({line}): {Expand(problem)}"));
    }

    [Test]
    public void A_missing_file_is_refused()
    {
        var path = Path.Combine(_directory, "none");

        var error = Assert.Throws<CredentialException>(() => AuthorizedClients.Load(path));
        Assert.That(error!.Message, Is.EqualTo($"authorized clients file '{path}' does not exist"));
    }

    [Test]
    public void A_removed_line_stops_admitting_that_client_once_the_file_is_looked_at_again()
    {
        var path = Write($"{s_alice}\n{s_bob}\n");
        var clients = AuthorizedClients.Load(path);
        var version = clients.Version;

        File.WriteAllText(path, $"{s_bob}\n");

        Assert.Multiple(() =>
        {
            Assert.That(clients.Refresh(), Is.Null);
            Assert.That(clients.TryAuthorize(s_alice, out _), Is.False);
            Assert.That(clients.TryAuthorize(s_bob, out _), Is.True);
            Assert.That(clients.Version, Is.GreaterThan(version));
        });
    }

    [Test]
    public void A_file_broken_by_an_edit_admits_no_one_until_it_is_mended()
    {
        var path = Write($"{s_alice}\n");
        var clients = AuthorizedClients.Load(path);

        File.WriteAllText(path, $"{s_alice}\nhalf-typed\n");
        var broken = clients.Refresh();
        var admittedWhileBroken = clients.TryAuthorize(s_alice, out _);
        File.WriteAllText(path, $"{s_alice} mended\n");
        var mended = clients.Refresh();

        Assert.Multiple(() =>
        {
            Assert.That(broken, Is.EqualTo($"{path}(2): 'half-typed' is not a public id (one starts with 'pmp-'); expected PUBLIC-ID [NAME]"));
            Assert.That(admittedWhileBroken, Is.False);
            Assert.That(mended, Is.Null);
            Assert.That(clients.TryAuthorize(s_alice, out var name) && name == "mended", Is.True);
        });
    }

    [Test]
    public void A_deleted_file_admits_no_one()
    {
        var path = Write($"{s_alice}\n");
        var clients = AuthorizedClients.Load(path);

        File.Delete(path);

        Assert.Multiple(() =>
        {
            Assert.That(clients.Refresh(), Is.EqualTo($"authorized clients file '{path}' does not exist"));
            Assert.That(clients.TryAuthorize(s_alice, out _), Is.False);
        });
    }

    private static string Expand(string text) => text.Replace("{alice}", s_alice, StringComparison.Ordinal).Replace("{bob}", s_bob, StringComparison.Ordinal);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "authorized_clients");
        File.WriteAllText(path, text);
        return path;
    }
}
