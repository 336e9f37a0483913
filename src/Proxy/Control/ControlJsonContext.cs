using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>
/// Source-generated JSON for the control messages: no reflection at run time, one shape for the
/// endpoint and the client. Use <see cref="Messages"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(HealthReply))]
[JsonSerializable(typeof(SchedulerListReply))]
[JsonSerializable(typeof(LoadReply))]
[JsonSerializable(typeof(RemoveReply))]
[JsonSerializable(typeof(DefaultSchedulerReply))]
[JsonSerializable(typeof(DefaultRegisterReply))]
[JsonSerializable(typeof(StreamChangeReply))]
[JsonSerializable(typeof(SessionsReply))]
[JsonSerializable(typeof(LimitReport))]
[JsonSerializable(typeof(SessionReport))]
[JsonSerializable(typeof(TraceReply))]
[JsonSerializable(typeof(TraceRequest))]
[JsonSerializable(typeof(PathAddReply))]
[JsonSerializable(typeof(PathChangeReply))]
[JsonSerializable(typeof(CloseReply))]
[JsonSerializable(typeof(ShutdownReply))]
[JsonSerializable(typeof(LoadRequest))]
[JsonSerializable(typeof(SchedulerChoiceRequest))]
[JsonSerializable(typeof(RegisterValueRequest))]
[JsonSerializable(typeof(PathAddRequest))]
[JsonSerializable(typeof(PathBackupRequest))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every control message goes through: camelCase, indented so that curl's output reads,
    /// nulls left out, enums as camelCase words, and apostrophes written as they are rather than as \u0027 (nothing here is
    /// embedded in HTML, and diagnostics quote names with apostrophes).
    /// </summary>
    public static ControlJsonContext Messages { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Enums as words ("active", "push", "changedState"), the way every other value here reads.
        Converters =
        {
            new JsonStringEnumConverter<SubflowState>(JsonNamingPolicy.CamelCase),
            new JsonStringEnumConverter<DecisionCause>(JsonNamingPolicy.CamelCase),
            new JsonStringEnumConverter<TracedActionKind>(JsonNamingPolicy.CamelCase),
        },
    });
}
