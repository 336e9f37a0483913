namespace ProgMp.Engine.Tests.Support;

/// <summary>
/// The security the engine tests run with. TLS by default, so that TLS is what is tested: one
/// identity serves both ends of a test (it authorizes itself and pins itself), made once per run.
/// Plaintext for the tests that speak raw frames to a listener.
/// </summary>
internal static class TestSecurity
{
    private static readonly Lazy<MultipathSecurity> s_tls = new(() =>
    {
        var identity = MultipathIdentity.Create("engine-tests");
        return MultipathSecurity.Tls(identity, AuthorizedClients.FromLines([identity.PublicId]), identity.PublicId);
    });

    public static MultipathSecurity Tls => s_tls.Value;

    public static MultipathSecurity Plaintext => MultipathSecurity.InsecurePlaintext;

    public static MultipathSecurity For(bool tls) => tls ? Tls : Plaintext;
}
