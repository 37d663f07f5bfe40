using System.Security.Cryptography;

namespace Signaling.Server.Cluster;

/// <summary>The random ids the Node adapters give themselves and their requests, in the same forms.</summary>
internal static class ClusterIds
{
    private const string Uid2Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary><paramref name="length"/> characters from the base64url alphabet, as uid2 makes them (classic adapter).</summary>
    public static string Uid2(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Uid2Alphabet[bytes[i] % 64];
        }
        return new string(chars);
    }

    /// <summary>16 lowercase hex characters, as socket.io-adapter's cluster uids and request ids.</summary>
    public static string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
