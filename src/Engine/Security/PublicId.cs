using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProgMp.Engine.Security;

/// <summary>
/// A side's public id: <c>pmp-</c> and the base64url SHA-256 of its certificate's SubjectPublicKeyInfo.
/// It names the key, not the certificate, so a certificate re-issued for the same key keeps its id;
/// peers pin it as SSH's known_hosts and WireGuard's peer keys do, with no certificate authority.
/// </summary>
internal static class PublicId
{
    public const string Prefix = "pmp-";

    private const int HashBytes = 32;

    /// <summary>Characters in an id: the prefix and 32 bytes in unpadded base64url.</summary>
    public static readonly int Length = Prefix.Length + Base64Url.GetEncodedLength(HashBytes);

    public static string Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Prefix + Base64Url.EncodeToString(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Why <paramref name="text"/> cannot be a public id, or null when it can.</summary>
    public static string? Problem(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"'{text}' is not a public id (one starts with '{Prefix}')";
        }

        Span<byte> hash = stackalloc byte[HashBytes + 3];
        var encoded = text.AsSpan(Prefix.Length);
        if (text.Length != Length || !Base64Url.IsValid(encoded) || Base64Url.DecodeFromChars(encoded, hash) != HashBytes
            || !Base64Url.EncodeToString(hash[..HashBytes]).AsSpan().SequenceEqual(encoded))
        {
            return $"'{text}' is not a public id ('{Prefix}' and {Length - Prefix.Length} base64url characters)";
        }

        return null;
    }
}
