using System.Security.Cryptography;
using System.Text;
using Signaling.Server.Hosting;

namespace Signaling.Tests.Turn;

/// <summary>The TURN REST credential format that coturn's use-auth-secret checks.</summary>
public sealed class TurnCredentialsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly TurnOptions Options = new()
    {
        Urls = ["turn:turn.example.org:3478?transport=udp", "turn:turn.example.org:3478?transport=tcp"],
        Secret = "north-sea",
        Ttl = TimeSpan.FromHours(24),
    };

    [Test]
    public void The_username_is_the_expiry_in_unix_seconds_and_a_random_id()
    {
        var server = new TurnCredentials(Options, new FixedTimeProvider(Now)).Issue();

        var parts = server.Username!.Split(':');
        Assert.That(parts, Has.Length.EqualTo(2));
        Assert.That(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Now.AddHours(24).ToUnixTimeSeconds()));
        Assert.That(parts[1], Does.Match("^[A-Za-z0-9_-]{16}$"), "12 random bytes, base64url: no ':' for coturn to split on");
        Assert.That(server.Urls, Is.EqualTo(Options.Urls));
    }

    [Test]
    public void The_credential_is_the_base64_hmac_sha1_of_the_username_under_the_secret()
    {
        var server = new TurnCredentials(Options, new FixedTimeProvider(Now)).Issue();

#pragma warning disable CA5350 // the scheme's hash
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes("north-sea"));
#pragma warning restore CA5350
        Assert.That(server.Credential, Is.EqualTo(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(server.Username!)))));
    }

    [Test]
    public void Each_issue_has_an_id_of_its_own()
    {
        var credentials = new TurnCredentials(Options, new FixedTimeProvider(Now));

        var usernames = Enumerable.Range(0, 100).Select(_ => credentials.Issue().Username).ToHashSet();

        Assert.That(usernames, Has.Count.EqualTo(100));
    }

    [Test]
    public void The_expiry_follows_the_ttl()
    {
        var options = new TurnOptions { Urls = Options.Urls, Secret = Options.Secret, Ttl = TimeSpan.FromMinutes(10) };

        var username = new TurnCredentials(options, new FixedTimeProvider(Now)).Issue().Username!;

        Assert.That(username, Does.StartWith($"{Now.AddMinutes(10).ToUnixTimeSeconds()}:"));
    }
}
