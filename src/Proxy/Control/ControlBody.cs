using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ProgMp.Proxy.Control;

/// <summary>
/// A request's JSON body, read by hand rather than bound, so that every mistake gets a reason the
/// client can print: not JSON (and where), not an object, a key that is unknown or missing, a value of
/// the wrong kind.
/// </summary>
internal sealed class ControlBody : IDisposable
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 16 };

    private readonly JsonDocument _document;

    private ControlBody(JsonDocument document)
    {
        _document = document;
    }

    private JsonElement Root => _document.RootElement;

    /// <summary>Parses the body as a JSON object whose keys are all among <paramref name="keys"/>.</summary>
    /// <exception cref="ControlException">400 with the reason.</exception>
    public static async Task<ControlBody> ReadAsync(HttpRequest request, string[] keys, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            throw ControlException.BadRequest("the body is empty; expected a JSON object");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, s_options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ControlException.BadRequest(e.BytePositionInLine is null
                ? "the body is not valid JSON: " + FirstSentence(e.Message)
                : $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
        }

        var body = new ControlBody(document);
        try
        {
            if (body.Root.ValueKind != JsonValueKind.Object)
            {
                throw ControlException.BadRequest($"the body must be a JSON object, not {Describe(body.Root.ValueKind)}");
            }

            foreach (var property in body.Root.EnumerateObject())
            {
                if (Array.IndexOf(keys, property.Name) < 0)
                {
                    throw ControlException.BadRequest($"unknown key \"{property.Name}\" in the body; expected {string.Join(", ", keys.Select(k => $"\"{k}\""))}");
                }
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public string RequireString(string key) =>
        OptionalString(key) ?? throw ControlException.BadRequest($"the body needs \"{key}\" (a string)");

    public string? OptionalString(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ControlException.BadRequest($"\"{key}\" must be a string, not {Describe(value.ValueKind)}");
    }

    public long RequireInteger(string key) =>
        OptionalInteger(key) ?? throw ControlException.BadRequest($"the body needs \"{key}\" (an integer)");

    public long? OptionalInteger(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw ControlException.BadRequest($"\"{key}\" must be an integer, not {Describe(value.ValueKind)}");
        }

        return value.TryGetInt64(out var number)
            ? number
            : throw ControlException.BadRequest($"\"{key}\" must be a 64-bit integer, not {value.GetRawText()}");
    }

    public bool? OptionalBoolean(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ControlException.BadRequest($"\"{key}\" must be true or false, not {Describe(value.ValueKind)}"),
        };
    }

    public bool RequireBoolean(string key) =>
        OptionalBoolean(key) ?? throw ControlException.BadRequest($"the body needs \"{key}\" (true or false)");

    public void Dispose() => _document.Dispose();

    // A JSON null counts as absent.
    private bool TryGet(string key, out JsonElement value) =>
        Root.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    // System.Text.Json appends its own "LineNumber: 0 | BytePositionInLine: 3." (0-based); we say it 1-based.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
