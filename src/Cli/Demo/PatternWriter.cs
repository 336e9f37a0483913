using System.Security.Cryptography;
using ProgMp.Engine;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The sending application: writes the pattern as fast as the stream takes it until told to stop,
/// hashing exactly what each completed write handed over, then completes its writes (FIN).
/// </summary>
internal sealed class PatternWriter
{
    // Small enough that a write waits only briefly for room in the send buffer, so a stop is prompt
    // without cancelling a write half taken (which would leave the hash unsure of what was sent).
    private const int ChunkBytes = 16 * 1024;

    private readonly MultipathStream _stream;
    private long _written;
    private volatile bool _stopping;

    public PatternWriter(MultipathStream stream)
    {
        _stream = stream;
    }

    public long BytesWritten => Interlocked.Read(ref _written);

    /// <summary>The SHA-256 of everything written, once <see cref="RunAsync"/> has finished.</summary>
    public byte[]? Hash { get; private set; }

    /// <summary>Asks the writer to finish after the write in progress.</summary>
    public void Stop() => _stopping = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pattern = new PatternSource();
        var buffer = new byte[ChunkBytes];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (!_stopping)
        {
            pattern.Fill(buffer);
            await _stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            hash.AppendData(buffer);
            Interlocked.Add(ref _written, buffer.Length);
        }

        Hash = hash.GetHashAndReset();
        _stream.CompleteWrites();
        await _stream.WaitForAcknowledgementAsync(cancellationToken).ConfigureAwait(false);
    }
}
