using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Signaling.Server.Hosting;

/// <summary>
/// Time-limited TURN credentials in the "TURN REST API" scheme that coturn checks with
/// <c>use-auth-secret</c>: the username is <c>&lt;expiry in unix seconds&gt;:&lt;random id&gt;</c>
/// and the password base64(HMAC-SHA1(secret, username)). The TURN server recomputes the password
/// from the username and refuses it once the expiry has passed, so nothing is shared but the secret.
/// </summary>
public sealed class TurnCredentials
{
    private const int IdBytes = 12;

    private readonly byte[] _key;
    private readonly List<string> _urls;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;

    public TurnCredentials(TurnOptions options, TimeProvider time)
    {
        _key = Encoding.UTF8.GetBytes(options.Secret);
        _urls = [.. options.Urls];
        _ttl = options.Ttl;
        _time = time;
    }

    /// <summary>One iceServers entry with credentials of its own, valid for the configured time from now.</summary>
    public IceServerOptions Issue()
    {
        var expiry = _time.GetUtcNow().Add(_ttl).ToUnixTimeSeconds();
        Span<byte> id = stackalloc byte[IdBytes];
        RandomNumberGenerator.Fill(id);
        var username = FormattableString.Invariant($"{expiry}:{Base64Url.EncodeToString(id)}");
        return new IceServerOptions { Urls = _urls, Username = username, Credential = Password(username) };
    }

    // SHA-1 because the scheme (and coturn) define it; the secret, not the hash, is what protects it.
#pragma warning disable CA5350
    private string Password(string username) => Convert.ToBase64String(HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
}
