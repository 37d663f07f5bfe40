using System.Text.Json.Serialization;

namespace Signaling.Server.EngineIo;

/// <summary>Source-generated JSON for the handshake and error bodies (camelCase, as the reference).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EngineIoErrors.ErrorBody))]
[JsonSerializable(typeof(OpenPacketBody))]
internal sealed partial class EngineIoJsonContext : JsonSerializerContext;
