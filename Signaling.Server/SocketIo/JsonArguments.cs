using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>Turns the arguments handlers pass to emit and ack into the JSON array of a packet.</summary>
internal static class JsonArguments
{
    public static JArray From(string? eventName, IReadOnlyList<object?> args)
    {
        var array = new JArray();
        if (eventName is not null)
        {
            array.Add(eventName);
        }
        foreach (var arg in args)
        {
            array.Add(ToToken(arg));
        }
        return array;
    }

    /// <summary>Binary stays binary (a bytes token the encoder turns into an attachment); everything else is JSON.</summary>
    public static JToken ToToken(object? value) => value switch
    {
        null => JValue.CreateNull(),
        JToken token => token,
        byte[] bytes => new JValue(bytes),
        ReadOnlyMemory<byte> memory => new JValue(memory.ToArray()),
        _ => JToken.FromObject(value),
    };
}
