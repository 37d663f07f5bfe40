using System.Text;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// Rewrites an encoded packet so that it is pure ASCII, for protocol v4 clients (1.x and 2.x).
/// </summary>
/// <remarks>
/// Socket.IO 1.x clients (engine.io-client 1.x) UTF-8-decode every packet of a text polling
/// payload once more after the HTTP body was decoded, so any non-ASCII character sent to them
/// that way is a parse error and drops their connection (the Node.js server has this bug).
/// Outside the namespace, non-ASCII can only appear inside JSON strings, where a <c>\uXXXX</c>
/// escape reads back as the same character in every client; so v4 packets go out escaped,
/// whatever the transport, since a session may move between transports.
/// </remarks>
public static class AsciiPacketText
{
    private static readonly DecodeLimits OwnOutput = new() { MaxAttachments = int.MaxValue };

    /// <summary>The packet with every non-ASCII character of its JSON payload escaped; the same instance when there is none.</summary>
    /// <exception cref="ProtocolException">The text is not an encoded Socket.IO packet.</exception>
    public static string Escape(string packetText)
    {
        var first = packetText.AsSpan().IndexOfAnyExceptInRange('\0', '\u007f');
        if (first < 0)
        {
            return packetText;
        }
        var payloadStart = SocketPacketHeader.Parse(packetText, SocketIoVersion.V4, OwnOutput).PayloadStart;
        var from = Math.Max(first, payloadStart);
        var builder = new StringBuilder(packetText.Length + 32);
        builder.Append(packetText, 0, from);
        foreach (var c in packetText.AsSpan(from))
        {
            if (c < '\u0080')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
