using System.Net;
using System.Text;

namespace Signaling.Tests.EngineIo;

public sealed class EngineIoV3PollingTests : EngineIoHostFixture
{
    [Test]
    public async Task Text_payloads_are_length_prefixed_in_utf16_units()
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        Assert.That((await Host.PostAsync(sid, "6:4hello2:4€", eio: 3)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Host.GetAsync(sid, 3), Is.EqualTo("6:4hello2:4€"));
    }

    [Test]
    public async Task Binary_capable_clients_get_xhr2_binary_payloads()
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        // One text packet "4hi" and one binary message 01 02 03, as a v3 client posts them.
        byte[] body = [0, 3, 0xFF, (byte)'4', (byte)'h', (byte)'i', 1, 4, 0xFF, 4, 1, 2, 3];
        Assert.That((await Host.PostBinaryAsync(sid, body)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var response = await Host.Http.GetAsync(EngineIoTestHost.Path(3, "polling", sid));
        Assert.Multiple(async () =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(body));
        });
        Assert.That(Host.Handler.MessagesOf(sid)[1].Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Base64_clients_get_binary_as_b4_text()
    {
        var (sid, _) = await Host.HandshakeAsync(3, "&b64=1");
        await Host.PostAsync(sid, "10:b4AQIDBA==", eio: 3, extra: "&b64=1");
        var response = await Host.Http.GetAsync(EngineIoTestHost.Path(3, "polling", sid, "&b64=1"));
        Assert.Multiple(async () =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("10:b4AQIDBA=="));
        });
    }

    [Test]
    public async Task Jsonp_wraps_responses_and_reads_form_bodies()
    {
        var handshake = await Host.Http.GetStringAsync(EngineIoTestHost.Path(3, "polling", extra: "&j=2"));
        Assert.That(handshake, Does.StartWith("___eio[2](\"").And.EndWith("\");"));
        var sid = System.Text.RegularExpressions.Regex.Match(handshake, "sid\\\\\":\\\\\"([^\\\\]+)").Groups[1].Value;
        Assert.That(sid, Has.Length.EqualTo(20));

        using var form = new StringContent("d=" + Uri.EscapeDataString("11:4line\\nbreak"), Encoding.UTF8, "application/x-www-form-urlencoded");
        var post = await Host.Http.PostAsync(EngineIoTestHost.Path(3, "polling", sid, "&j=2"), form);
        Assert.That(await post.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
        Assert.That(Host.Handler.MessagesOf(sid).Single().Text, Is.EqualTo("line\nbreak"));
        Assert.That(await Host.GetAsync(sid, 3, "&j=2"), Is.EqualTo("___eio[2](\"11:4line\\nbreak\");"));
    }

    [Test]
    public async Task Jsonp_posts_without_a_d_field_are_a_parse_error()
    {
        var handshake = await Host.Http.GetStringAsync(EngineIoTestHost.Path(4, "polling", extra: "&j=0"));
        var sid = System.Text.RegularExpressions.Regex.Match(handshake, "sid\\\\\":\\\\\"([^\\\\]+)").Groups[1].Value;
        using var form = new StringContent("x=4hello", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.That((await Host.Http.PostAsync(EngineIoTestHost.Path(4, "polling", sid, "&j=0"), form)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [TestCase("5:4hello")]
    [TestCase("abc")]
    [TestCase("99999999999:4")]
    public async Task Malformed_v3_payloads_are_a_parse_error(string payload)
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        Assert.That((await Host.PostAsync(sid, payload, eio: 3)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [Test]
    public async Task Malformed_binary_payloads_are_a_parse_error()
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        Assert.That((await Host.PostBinaryAsync(sid, [0, 9, 9, 0xFF, 0x34])).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [Test]
    public async Task The_client_pings_and_the_server_pongs()
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        await Host.PostAsync(sid, "1:2", eio: 3);
        Assert.That(await Host.GetAsync(sid, 3), Is.EqualTo("1:3"));
    }

    [Test]
    public async Task Server_pings_are_a_heartbeat_in_the_wrong_direction()
    {
        var (sid, _) = await Host.HandshakeAsync(3);
        await Host.PostAsync(sid, "1:3", eio: 3);
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport error"));
    }
}
