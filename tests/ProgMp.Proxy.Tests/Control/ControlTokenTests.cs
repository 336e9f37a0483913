using ProgMp.Proxy.Control;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>Token files: the token is the trimmed text; empty, oversized or unprotected files are refused with a reason.</summary>
public class ControlTokenTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("progmp-token-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void The_token_is_the_file_s_text_trimmed()
    {
        var path = Write("  s3cret-Token_1\n\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.That(ControlToken.TryReadFile(path, out var token, out var problem), Is.True, problem);
        Assert.That(token, Is.EqualTo("s3cret-Token_1"));
    }

    [TestCase(" \n\t\n", "the file is empty")]
    [TestCase("two words", "the token must be printable ASCII without spaces")]
    public void A_file_that_holds_no_token_is_refused(string text, string reason)
    {
        var path = Write(text, UnixFileMode.UserRead);

        Assert.That(ControlToken.TryReadFile(path, out _, out var problem), Is.False);
        Assert.That(problem, Is.EqualTo($"token file '{path}': {reason}"));
    }

    [TestCase(UnixFileMode.GroupRead, "0640")]
    [TestCase(UnixFileMode.OtherRead, "0604")]
    [TestCase(UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    public void A_file_others_may_read_is_refused(UnixFileMode extra, string mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
        }

        var path = Write("secret", UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        Assert.That(ControlToken.TryReadFile(path, out _, out var problem), Is.False);
        Assert.That(problem, Is.EqualTo($"token file '{path}' is open to group or others (mode {mode}); make it private with: chmod 600 '{path}'"));
    }

    [Test]
    public void A_missing_or_oversized_file_is_refused()
    {
        var missing = Path.Combine(_directory, "missing");
        var large = Write(new string('a', ControlToken.MaxFileBytes + 1), UnixFileMode.UserRead);

        Assert.That(ControlToken.TryReadFile(missing, out _, out var absent), Is.False);
        Assert.That(ControlToken.TryReadFile(large, out _, out var oversized), Is.False);
        Assert.That(absent, Is.EqualTo($"token file '{missing}' does not exist"));
        Assert.That(oversized, Does.EndWith("too long for a token"));
    }

    [Test]
    public void Accepts_only_bearer_and_the_exact_token()
    {
        var token = new ControlToken("abc");

        Assert.Multiple(() =>
        {
            Assert.That(token.Accepts("Bearer abc"), Is.True);
            Assert.That(token.Accepts("bearer abc"), Is.True, "the scheme is case-insensitive (RFC 9110)");
            Assert.That(token.Accepts("Bearer abd"), Is.False);
            Assert.That(token.Accepts("Bearer ab"), Is.False);
            Assert.That(token.Accepts("Bearer abcd"), Is.False);
            Assert.That(token.Accepts("Basic abc"), Is.False);
            Assert.That(token.Accepts("abc"), Is.False);
            Assert.That(token.Accepts(null), Is.False);
        });
    }

    private string Write(string text, UnixFileMode mode)
    {
        var path = Path.Combine(_directory, "token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
