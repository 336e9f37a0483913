using ProgMp.Engine.Tests.Support;
using ProgMp.Proxy.Tests.Support;

namespace ProgMp.Cli.Tests.Support;

/// <summary>A control endpoint over a live session pair, a private token file for it, and <c>progmp ctl</c> pointed at both.</summary>
internal sealed class CtlFixture : IAsyncDisposable
{
    private CtlFixture(ControlHarness harness, TemporaryDirectory directory)
    {
        Harness = harness;
        Directory = directory;
        TokenFile = WriteTokenFile(directory, ControlHarness.Token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public ControlHarness Harness { get; }

    public TemporaryDirectory Directory { get; }

    public string TokenFile { get; }

    public static async Task<CtlFixture> StartAsync(CancellationToken cancellationToken, int paths = 1, bool serverSide = false)
    {
        var harness = await ControlHarness.StartAsync(paths, "minRtt", cancellationToken, serverSide);
        return new CtlFixture(harness, new TemporaryDirectory());
    }

    /// <summary><c>progmp ctl URL</c> and <paramref name="arguments"/>, with the right token file.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) => RunWithTokenFileAsync(TokenFile, arguments);

    public Task<ProcessResult> RunWithTokenFileAsync(string tokenFile, params string[] arguments) =>
        ProgmpProcess.RunAsync(["ctl", Harness.Url, .. arguments, "--token-file", tokenFile]);

    public string WriteTokenFile(string token, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) => WriteTokenFile(Directory, token, mode);

    public static string WriteTokenFile(TemporaryDirectory directory, string token, UnixFileMode mode)
    {
        var path = directory.Write("token-" + Guid.NewGuid().ToString("N"), token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Directory.Dispose();
    }
}
