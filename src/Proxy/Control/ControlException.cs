using Microsoft.AspNetCore.Http;

namespace ProgMp.Proxy.Control;

/// <summary>
/// A request the endpoint answers with an error: the status code and the reason the client prints.
/// Thrown from a handler so that its code reads straight; the endpoint turns it into a JSON error.
/// </summary>
internal sealed class ControlException : Exception
{
    public ControlException(int statusCode, string reason, IReadOnlyList<DiagnosticReport>? diagnostics = null)
        : base(reason)
    {
        StatusCode = statusCode;
        Diagnostics = diagnostics;
    }

    public int StatusCode { get; }

    /// <summary>A scheduler's diagnostics, for a program that does not compile (422).</summary>
    public IReadOnlyList<DiagnosticReport>? Diagnostics { get; }

    public static ControlException BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static ControlException NotFound(string reason) => new(StatusCodes.Status404NotFound, reason);

    public static ControlException Conflict(string reason) => new(StatusCodes.Status409Conflict, reason);
}
