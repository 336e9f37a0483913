using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// A decoding failure, in a form that costs nothing until it is logged: <see cref="Message"/> is always a
/// string literal, so reporting an error allocates nothing either.
/// </summary>
/// <param name="Reason">Code for the <see cref="CloseFrame"/> that ends the session.</param>
/// <param name="RawType">The type byte of the offending frame (it may name no known type).</param>
/// <param name="Message">What was wrong, for the log.</param>
internal readonly record struct ProtocolError(ProtocolErrorReason Reason, byte RawType, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Reason} in frame type 0x{RawType:X2}: {Message}");
}
