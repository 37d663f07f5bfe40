using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// One report line from client-driver.js, e.g. <c>{"type":"event","name":"message-back","args":[...]}</c>.
/// The accessors read the fields each type carries (see the driver's header comment).
/// </summary>
public sealed class DriverMessage(JObject body)
{
    public JObject Body { get; } = body;

    public string Type => (string?)Body["type"] ?? "";

    /// <summary>The Socket.IO event name of an <c>event</c> report.</summary>
    public string? Name => (string?)Body["name"];

    /// <summary>The arguments of an <c>event</c> or <c>ack</c> report (binaries as <see cref="BinaryJson"/>).</summary>
    public JArray Args => Body["args"] as JArray ?? [];

    /// <summary>Set on an <c>event</c> the server sent with an ack request; answer it with <see cref="NodeSocketClient.AckAsync"/>.</summary>
    public int? AckId => (int?)Body["ackId"];

    public string? Reason => (string?)Body["reason"];

    public string? Transport => (string?)Body["transport"];

    /// <summary>Whether a <c>connected</c> report came from a recovered connection (Socket.IO 4.6+).</summary>
    public bool Recovered => (bool?)Body["recovered"] == true;

    public override string ToString() => Body.ToString(Formatting.None);
}
