using System.Net;
using System.Text;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.EngineIo;

public sealed class EngineIoPollingTests : EngineIoHostFixture
{
    [Test]
    public async Task V4_handshake_has_the_reference_shape()
    {
        var response = await Host.Http.GetAsync(EngineIoTestHost.Path(4, "polling"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Does.Match("^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"\\],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000\\}$"));
        });
        Assert.That(Host.Server.SessionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task V3_handshake_is_length_prefixed_without_max_payload()
    {
        var body = await Host.Http.GetStringAsync(EngineIoTestHost.Path(3, "polling"));
        var colon = body.IndexOf(':');
        Assert.Multiple(() =>
        {
            Assert.That(int.Parse(body[..colon]), Is.EqualTo(body.Length - colon - 1));
            Assert.That(body[(colon + 1)..], Does.Match("^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"\\],\"pingInterval\":25000,\"pingTimeout\":20000\\}$"));
        });
    }

    [Test]
    public async Task Upgrades_are_not_offered_when_disabled()
    {
        await using var host = await EngineIoTestHost.StartAsync(options => options.AllowUpgrades = false);
        var (_, open) = await host.HandshakeAsync();
        Assert.That(open.GetProperty("upgrades").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Posted_packets_are_delivered_in_order_and_echoed_on_the_next_get()
    {
        var (sid, _) = await Host.HandshakeAsync();
        var post = await Host.PostAsync(sid, "4test1\u001e4test2\u001ebAQIDBA==\u001e4€😀");
        Assert.Multiple(async () =>
        {
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await post.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
        });
        Assert.That(await Host.GetAsync(sid), Is.EqualTo("4test1\u001e4test2\u001ebAQIDBA==\u001e4€😀"));
        var messages = Host.Handler.MessagesOf(sid);
        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(m => m.Text), Is.EqualTo(new[] { "test1", "test2", null, "€😀" }));
            Assert.That(messages[2].Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        });
    }

    [Test]
    public async Task A_get_waits_until_something_is_queued()
    {
        var (sid, _) = await Host.HandshakeAsync();
        var poll = Host.GetAsync(sid);
        Assert.That(poll.IsCompleted, Is.False);
        await Host.PostAsync(sid, "4late");
        Assert.That(await poll.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("4late"));
    }

    [Test]
    public async Task A_second_concurrent_get_is_refused_and_closes_the_session()
    {
        var (sid, _) = await Host.HandshakeAsync();
        // Whichever GET the server sees first waits; the other overlaps it.
        var responses = await Task.WhenAll(
            Host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", sid)),
            Host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", sid) + "&t=burst"));
        var outcomes = await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode}:{await r.Content.ReadAsStringAsync()}"));
        Assert.That(outcomes, Is.EquivalentTo(new[] { "200:1", "400:{\"code\":3,\"message\":\"Bad request\"}" }));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport error"));
        Assert.That((await Host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", sid))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task Malformed_payloads_close_only_that_session()
    {
        var (victim, _) = await Host.HandshakeAsync();
        var (bystander, _) = await Host.HandshakeAsync();
        var response = await Host.PostAsync(victim, "abc");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.Handler.ClosedAsync(victim), Is.EqualTo("parse error"));
        Assert.That((await Host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", victim))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        await Host.PostAsync(bystander, "4still here");
        Assert.That(await Host.GetAsync(bystander), Is.EqualTo("4still here"));
        Assert.That(Host.Server.SessionCount, Is.EqualTo(1));
    }

    [TestCase("4a\u001e\u001e4b")]
    [TestCase("bnot base64!")]
    [TestCase("9")]
    public async Task Every_kind_of_malformed_payload_is_a_parse_error(string payload)
    {
        var (sid, _) = await Host.HandshakeAsync();
        await Host.PostAsync(sid, payload);
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
        Assert.That(Host.Handler.MessagesOf(sid), Is.Empty);
    }

    [Test]
    public async Task Invalid_utf8_bodies_are_a_parse_error()
    {
        var (sid, _) = await Host.HandshakeAsync();
        using var content = new ByteArrayContent([0x34, 0xC3, 0x28]);
        await Host.Http.PostAsync(EngineIoTestHost.Path(4, "polling", sid), content);
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [Test]
    public async Task Binary_bodies_are_refused_in_v4()
    {
        var (sid, _) = await Host.HandshakeAsync();
        var response = await Host.PostBinaryAsync(sid, [1, 2, 3], eio: 4);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport error"));
    }

    [Test]
    public async Task A_client_close_packet_ends_the_pending_poll_with_a_noop()
    {
        var (sid, _) = await Host.HandshakeAsync();
        // Sent together: the server answers the GET with a noop whether it sees it before or just after the close.
        var poll = Host.GetAsync(sid);
        await Host.PostAsync(sid, "1");
        Assert.That(await poll.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("6"));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport close"));
        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_server_close_flushes_queued_packets_then_a_close_packet_on_the_next_poll()
    {
        // As the reference: a client may act on a close before the packets decoded with it.
        var (sid, _) = await Host.HandshakeAsync();
        await Host.PostAsync(sid, "4close-me");
        Assert.That(await Host.GetAsync(sid), Is.EqualTo("4close-me"));
        Assert.That(await Host.GetAsync(sid), Is.EqualTo("1"));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("forced close"));
        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task Concurrent_sends_keep_each_list_contiguous()
    {
        var (sid, _) = await Host.HandshakeAsync();
        await Host.PostAsync(sid, "4burst");
        var received = new List<string>();
        while (!received.Contains("burst-done"))
        {
            received.AddRange(PollingPayloadV4.Decode(await Host.GetAsync(sid)).Select(p => p.Text!));
        }

        var pairs = received.Where(t => t.StartsWith("pair", StringComparison.Ordinal)).ToList();
        Assert.That(pairs, Has.Count.EqualTo(400));
        for (var i = 0; i < pairs.Count; i += 2)
        {
            Assert.That(pairs[i + 1], Is.EqualTo(pairs[i][..^1] + "b"), $"pair at {i} split");
        }
    }

    [Test]
    public async Task Many_sessions_leave_nothing_behind()
    {
        for (var i = 0; i < 20; i++)
        {
            var (sid, _) = await Host.HandshakeAsync(i % 2 == 0 ? 4 : 3);
            await Host.PostAsync(sid, i % 2 == 0 ? "1" : "1:1", i % 2 == 0 ? 4 : 3);
            await Host.Handler.ClosedAsync(sid);
        }

        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }
}
