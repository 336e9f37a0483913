using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProgMp.Engine.Security;
using ProgMp.Shared;

namespace ProgMp.Engine.Tests.Security;

/// <summary>Identity files: written owner-only, read back as the same identity, refused when unsafe or not a P-256 identity.</summary>
public class MultipathIdentityTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("progmp-identity-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void A_saved_identity_loads_back_with_the_same_public_id_and_name_from_a_file_only_its_owner_may_use()
    {
        var identity = MultipathIdentity.Create("laptop");
        var path = Path.Combine(_directory, "laptop.key");

        identity.Save(path);
        var loaded = MultipathIdentity.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.PublicId, Is.EqualTo(identity.PublicId));
            Assert.That(loaded.Name, Is.EqualTo("laptop"));
            Assert.That(PublicId.Problem(identity.PublicId), Is.Null);
            Assert.That(identity.PublicId, Does.StartWith("pmp-").And.Length.EqualTo(PublicId.Length));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        });
    }

    [Test]
    public void Two_identities_have_different_public_ids()
    {
        var first = MultipathIdentity.Create();
        var second = MultipathIdentity.Create();
        Assert.That(first.PublicId, Is.Not.EqualTo(second.PublicId));
    }

    [Test]
    public void Saving_never_replaces_a_file()
    {
        var path = Path.Combine(_directory, "taken.key");
        File.WriteAllText(path, "keep me");

        Assert.Throws<IOException>(() => MultipathIdentity.Create().Save(path));
        Assert.That(File.ReadAllText(path), Is.EqualTo("keep me"));
    }

    [TestCase(UnixFileMode.GroupRead, "0640")]
    [TestCase(UnixFileMode.OtherRead, "0604")]
    public void A_key_file_others_may_read_is_refused_with_the_command_that_mends_it(UnixFileMode extra, string mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        var path = Path.Combine(_directory, "open.key");
        MultipathIdentity.Create().Save(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.Throws<CredentialException>(() => MultipathIdentity.Load(path));
        Assert.That(error!.Message, Is.EqualTo($"key file '{path}' is open to group or others (mode {mode}); make it private with: chmod 600 '{path}'"));
    }

    [Test]
    public void A_key_file_without_a_certificate_and_its_key_is_refused()
    {
        var path = Path.Combine(_directory, "garbage.key");
        WriteOwnerOnly(path, "not a key\n");

        var error = Assert.Throws<CredentialException>(() => MultipathIdentity.Load(path));
        Assert.That(error!.Message, Does.StartWith($"key file '{path}' holds no certificate with its private key").And.EndWith("make one with: progmp key create FILE"));
    }

    [Test]
    public void A_key_file_with_an_RSA_key_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_directory, "rsa.key");
        WriteOwnerOnly(path, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<CredentialException>(() => MultipathIdentity.Load(path));
        Assert.That(error!.Message, Is.EqualTo($"key file '{path}' does not hold an EC P-256 key pair; make one with: progmp key create FILE"));
    }

    [Test]
    public void A_missing_key_file_is_refused()
    {
        var path = Path.Combine(_directory, "missing.key");

        var error = Assert.Throws<CredentialException>(() => MultipathIdentity.Load(path));
        Assert.That(error!.Message, Is.EqualTo($"key file '{path}' does not exist"));
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("semi;colon")]
    public void A_name_outside_the_allowed_characters_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => MultipathIdentity.Create(name));
    }

    [TestCase("pmp-", "is not a public id ('pmp-' and 43 base64url characters)")]
    [TestCase("ssh-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "is not a public id (one starts with 'pmp-')")]
    [TestCase("pmp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "is not a public id ('pmp-' and 43 base64url characters)")]
    [TestCase("pmp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "is not a public id ('pmp-' and 43 base64url characters)")]
    [TestCase("pmp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "is not a public id ('pmp-' and 43 base64url characters)")]
    public void Text_that_is_not_a_public_id_is_named_as_such(string text, string problem)
    {
        Assert.That(PublicId.Problem(text), Is.EqualTo($"'{text}' {problem}"));
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        OwnerOnlyFile.WriteNew(path, text);
    }
}
