using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProgMp.Engine.Security;

namespace ProgMp.Engine;

/// <summary>
/// One side's identity: an EC P-256 key pair with a self-signed certificate, kept in one PEM file only
/// its owner may read. Peers know it by its <see cref="PublicId"/>, never by a certificate authority:
/// a server lists the ids of its clients (<see cref="AuthorizedClients"/>), a client pins its server's.
/// </summary>
public sealed class MultipathIdentity
{
    /// <summary>No key file is this large; a bigger one is not a key file.</summary>
    internal const int MaxFileBytes = 64 * 1024;

    private const int MaxNameLength = 64;
    private const string DefaultName = "progmp";

    private MultipathIdentity(X509Certificate2 certificate)
    {
        // Through PKCS#12 once: a key loaded from PEM or made in memory is ephemeral, which SslStream
        // cannot use on every platform; the exported and re-imported one it can.
        Certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
        PublicId = Security.PublicId.Of(Certificate);
        Name = Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        Context = SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true);
    }

    /// <summary>The id peers know this side by: <c>pmp-</c> and 43 base64url characters (the SHA-256 of the public key).</summary>
    public string PublicId { get; }

    /// <summary>The name given at creation (the certificate's common name): a label for people, never checked.</summary>
    public string Name { get; }

    internal X509Certificate2 Certificate { get; }

    /// <summary>The certificate as TLS presents it, prepared once rather than per handshake.</summary>
    internal SslStreamCertificateContext Context { get; }

    /// <summary>A new identity with a fresh key pair, in memory; <see cref="Save"/> keeps it.</summary>
    /// <param name="name">A label (1–64 letters, digits, '.', '_', '@' or '-'); <c>progmp</c> when null.</param>
    public static MultipathIdentity Create(string? name = null)
    {
        name ??= DefaultName;
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));

        // Validity is not what peers check (they pin the key), so it spans any deployment's life.
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        return new MultipathIdentity(certificate);
    }

    /// <summary>Reads an identity from a PEM file (certificate and PKCS#8 private key) that only its owner may read.</summary>
    /// <exception cref="CredentialException">The file is missing, open to others, or holds no usable P-256 identity.</exception>
    public static MultipathIdentity Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OwnerOnlyFile.TryRead(path, "key file", MaxFileBytes, out var text, out var problem))
        {
            throw new CredentialException(problem);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(text, text);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CredentialException($"key file '{path}' holds no certificate with its private key ({e.Message.TrimEnd('.')}); make one with: progmp key create FILE", e);
        }

        using (certificate)
        {
            using var key = certificate.GetECDsaPublicKey();
            if (key is null || key.KeySize != 256 || !certificate.HasPrivateKey)
            {
                throw new CredentialException($"key file '{path}' does not hold an EC P-256 key pair; make one with: progmp key create FILE");
            }

            return new MultipathIdentity(certificate);
        }
    }

    /// <summary>
    /// Writes the certificate and private key as PEM to a new file that only its owner may read or write
    /// (mode 0600 on Unix); never replaces an existing file.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The identity has no private key.");
        OwnerOnlyFile.WriteNew(path, Certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The public id and the name.</summary>
    public override string ToString() => $"{PublicId} ({Name})";

    /// <summary>Whether <paramref name="name"/> can name an identity: 1 to 64 letters, digits, '.', '_', '@' or '-'.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="problem">Why it cannot, in one line; null when it can.</param>
    public static bool IsValidName(string name, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        problem = NameProblem(name);
        return problem is null;
    }

    /// <summary>Whether <paramref name="id"/> is written as a public id (<c>pmp-</c> and 43 base64url characters), as a peer is pinned by.</summary>
    /// <param name="id">The id to check.</param>
    /// <param name="problem">Why it is not, in one line; null when it is.</param>
    public static bool IsValidPublicId(string id, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(id);
        problem = Security.PublicId.Problem(id);
        return problem is null;
    }

    /// <summary>Why <paramref name="name"/> cannot name an identity, or null.</summary>
    internal static string? NameProblem(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return $"a name is 1 to {MaxNameLength} characters";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '@' or '-'))
            {
                return $"the name '{name}' may hold only letters, digits, '.', '_', '@' and '-'";
            }
        }

        return null;
    }
}
