using Newtonsoft.Json.Linq;

namespace Signaling.Server.Signaling;

/// <summary>Whether an <c>online</c> announcement says its sender is busy in a call.</summary>
public static class BusyFlag
{
    /// <summary>
    /// True only for an object with <c>"busy": true</c>; a plain name, or a <c>busy</c> of any
    /// other value, is not busy, so each <c>online</c> states the whole entry again.
    /// </summary>
    public static bool From(JToken? sent) =>
        sent is JObject obj && obj["busy"] is JValue { Type: JTokenType.Boolean } busy && (bool)busy;
}
