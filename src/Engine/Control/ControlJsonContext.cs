using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProgMp.Engine.Control;

/// <summary>
/// Source-generated JSON for the control messages: no reflection at run time, one shape for the
/// endpoint and the client. Indented, so that curl's output reads; nulls left out.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(HealthReply))]
[JsonSerializable(typeof(SchedulerListReply))]
[JsonSerializable(typeof(LoadReply))]
[JsonSerializable(typeof(RemoveReply))]
[JsonSerializable(typeof(DefaultSchedulerReply))]
[JsonSerializable(typeof(DefaultRegisterReply))]
[JsonSerializable(typeof(StreamChangeReply))]
[JsonSerializable(typeof(SessionsReply))]
[JsonSerializable(typeof(SessionReport))]
[JsonSerializable(typeof(PathAddReply))]
[JsonSerializable(typeof(PathChangeReply))]
[JsonSerializable(typeof(CloseReply))]
[JsonSerializable(typeof(ShutdownReply))]
[JsonSerializable(typeof(LoadRequest))]
[JsonSerializable(typeof(SchedulerChoiceRequest))]
[JsonSerializable(typeof(RegisterValueRequest))]
[JsonSerializable(typeof(PathAddRequest))]
[JsonSerializable(typeof(PathBackupRequest))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
