using System.Buffers;
using System.IO.Pipelines;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>Reading and writing the frames of setup and join (docs/protocol.md, 4 and 6), each step under a time limit.</summary>
internal static class Handshake
{
    public static async ValueTask SendAsync<T>(Stream stream, T frame, CancellationToken cancellationToken)
        where T : struct, IFrame
    {
        var buffer = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(buffer, frame);
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The next frame. Handshake frames own all their fields, so the frame outlives the read; a CLOSE's
    /// message is copied out first. Throws <see cref="HandshakeException"/> for bad input or an early end.
    /// </summary>
    public static async ValueTask<(Frame Frame, string? CloseMessage)> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = FrameDecoder.Decode(ref buffer, out var frame, out var error);
            switch (status)
            {
                case DecodeStatus.Decoded:
                    var message = frame.Type == FrameType.Close ? frame.Close.GetMessage() : null;
                    reader.AdvanceTo(buffer.Start);
                    return (frame, message);
                case DecodeStatus.Error:
                    reader.AdvanceTo(result.Buffer.Start);
                    throw new HandshakeException(error.ToString(), CloseFrame.ForProtocolError(error));
                default:
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        throw new HandshakeException("the connection closed during the handshake");
                    }

                    break;
            }
        }
    }

    /// <summary>The frame, or a <see cref="HandshakeException"/> naming what came instead.</summary>
    public static async ValueTask<Frame> ExpectAsync(PipeReader reader, FrameType expected, CancellationToken cancellationToken)
    {
        var (frame, message) = await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        if (frame.Type == expected)
        {
            return frame;
        }

        if (frame.Type == FrameType.Close)
        {
            throw new HandshakeException($"the peer refused: {frame.Close.Reason} ({message})") { PeerReason = frame.Close.Reason };
        }

        var error = new ProtocolError(ProtocolErrorReason.UnexpectedFrame, (byte)frame.Type, "Not the frame this handshake step expects.");
        throw new HandshakeException($"expected {expected}, got {frame.Type}", CloseFrame.ForProtocolError(error));
    }
}
