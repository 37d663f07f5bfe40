using System.Diagnostics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>
/// Our codec against the official socket.io-parser packages that the JavaScript clients ship with:
/// 2.3.1 (client 1.x) and 3.3.6 (client 2.x) speak protocol v4, 4.0.5 (client 3.x) and 4.2.7
/// (client and server 4.x) speak v5. Our text must equal theirs, and each side must read the other's.
/// </summary>
public sealed class OfficialParserInteropTests
{
    private Process? _bridge;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach ((string parser, SocketIoVersion version) in new[]
        {
            ("2.3.1", SocketIoVersion.V4), ("3.3.6", SocketIoVersion.V4), ("4.0.5", SocketIoVersion.V5), ("4.2.7", SocketIoVersion.V5),
        })
        {
            foreach ((string name, SocketPacket packet) in Packets(version))
            {
                yield return new TestCaseData(parser, version, packet).SetArgDisplayNames(parser, name);
            }
        }
    }

    [OneTimeSetUp]
    public void StartBridge()
    {
        string testsDir = FindTestsProjectDirectory();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(testsDir, "Protocol", "SocketIo", "socket-io-parser-bridge.js"));
        start.ArgumentList.Add(Path.Combine(testsDir, "js"));
        _bridge = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
    }

    [OneTimeTearDown]
    public async Task StopBridge()
    {
        if (_bridge is null)
        {
            return;
        }

        _bridge.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _bridge.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _bridge.Kill();
        }

        _bridge.Dispose();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Our_text_and_attachments_equal_theirs(string parser, SocketIoVersion version, SocketPacket packet)
    {
        EncodedSocketPacket ours = SocketPacketEncoder.Encode(packet, version);

        JObject theirs = await AskAsync(new JObject { ["parser"] = parser, ["op"] = "encode", ["packet"] = ToBridgePacket(packet, parser) });

        // Parser 2.3.1 (client 1.x) writes no comma after a namespace that nothing follows ("0/admin");
        // every parser, 2.3.1 included, reads both forms (see They_decode_what_we_encode).
        string theirText = (string)theirs["text"]!;
        string expected = parser == "2.3.1" && theirText.StartsWith($"{(int)packet.Type}/", StringComparison.Ordinal)
            && ours.Text == theirText + "," ? ours.Text : theirText;
        Assert.That(ours.Text, Is.EqualTo(expected));
        Assert.That(ours.Attachments.Select(a => Convert.ToBase64String(a.Span)), Is.EqualTo(theirs["attachments"]!.Values<string>()));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task They_decode_what_we_encode(string parser, SocketIoVersion version, SocketPacket packet)
    {
        EncodedSocketPacket ours = SocketPacketEncoder.Encode(packet, version);

        JObject answer = await AskAsync(new JObject
        {
            ["parser"] = parser,
            ["op"] = "decode",
            ["text"] = ours.Text,
            ["attachments"] = new JArray(ours.Attachments.Select(a => Convert.ToBase64String(a.Span))),
        });

        JToken decoded = answer["packet"]!;
        Assert.Multiple(() =>
        {
            Assert.That(WithoutBinary((SocketPacketType)(int)decoded["type"]!), Is.EqualTo(WithoutBinary(packet.Type)));
            Assert.That((string?)decoded["nsp"], Is.EqualTo(NamespaceWithQuery(packet)));
            Assert.That((int?)decoded["id"], Is.EqualTo(packet.AckId));
            Assert.That(JToken.DeepEquals(decoded["data"], ToBridge(packet.Data)), Is.True, $"{decoded["data"]}");
        });
    }

    [TestCaseSource(nameof(Cases))]
    public async Task We_decode_what_they_encode(string parser, SocketIoVersion version, SocketPacket packet)
    {
        JObject theirs = await AskAsync(new JObject { ["parser"] = parser, ["op"] = "encode", ["packet"] = ToBridgePacket(packet, parser) });
        var decoder = new SocketPacketDecoder(version);

        SocketPacket? decoded = decoder.Decode((string)theirs["text"]!);
        foreach (string attachment in theirs["attachments"]!.Values<string>().OfType<string>())
        {
            Assert.That(decoded, Is.Null);
            decoded = decoder.AddAttachment(Convert.FromBase64String(attachment));
        }

        Assert.That(decoded, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(WithoutBinary(decoded!.Type), Is.EqualTo(WithoutBinary(packet.Type)));
            Assert.That(decoded.Namespace, Is.EqualTo(packet.Namespace));
            Assert.That(decoded.NamespaceQuery, Is.EqualTo(packet.NamespaceQuery));
            Assert.That(decoded.AckId, Is.EqualTo(packet.AckId));
            Assert.That(JToken.DeepEquals(decoded.Data, packet.Data), Is.True, $"{decoded.Data}");
        });
    }

    private static IEnumerable<(string Name, SocketPacket Packet)> Packets(SocketIoVersion version)
    {
        yield return ("connect", new SocketPacket { Type = SocketPacketType.Connect });
        yield return ("connect admin", new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin" });
        yield return ("disconnect admin", new SocketPacket { Type = SocketPacketType.Disconnect, Namespace = "/admin" });
        yield return ("event", new SocketPacket
        {
            Type = SocketPacketType.Event,
            Data = new JArray("hello", 1, "é说😀 \"q\" \\ \n\t\u0001", new JObject { ["a"] = new JArray(true, JValue.CreateNull(), 0.5, -7, 1e-7) }, "2020-01-01T00:00:00Z"),
        });
        yield return ("string escapes", new SocketPacket
        {
            Type = SocketPacketType.Event,
            Data = new JArray("s", "\u2028\u2029\u0085\u007f<script>&'\b\f\r\u001f\u0000", "lone \ud800 high", "lone \udc00 low", "pair \ud83d\ude00",
                new JObject { ["k\u2028\"\\\ud800"] = "v" }),
        });
        var random = new Random(5);
        const string palette = "a Z0\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0085\u00e9\u2028\u2029\ufeff\uffff\ud800\udbff\udc00\udfff说";
        yield return ("random strings", new SocketPacket
        {
            Type = SocketPacketType.Event,
            Data = new JArray(Enumerable.Range(0, 40).Select(i =>
                (JToken)new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => palette[random.Next(palette.Length)]).ToArray()))
                .Prepend("r")),
        });
        yield return ("numbers", new SocketPacket
        {
            Type = SocketPacketType.Event,
            Data = new JArray(
                new JArray("n", 0.1, 1e-7, -1.5e-7, 0.000001, 123.456, 1e21, 1.5e300, double.MaxValue, double.Epsilon, -2.5e-10, 1234567.125,
                    9007199254740991, -9007199254740991).Concat(
                // Integral doubles are left out: JavaScript writes them without the ".0" we keep.
                Enumerable.Range(0, 60).Select(i => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)))
                    .Where(d => d != Math.Floor(d)).Select(d => (JToken)d))),
        });
        yield return ("event with ack", new SocketPacket { Type = SocketPacketType.Event, Namespace = "/admin", AckId = 456, Data = new JArray("project:delete", 123) });
        yield return ("empty ack", new SocketPacket { Type = SocketPacketType.Ack, Namespace = "/admin", AckId = 456, Data = new JArray() });
        yield return ("ack", new SocketPacket { Type = SocketPacketType.Ack, AckId = 12, Data = new JArray("bar", new JObject { ["ok"] = true }) });
        yield return ("binary event", new SocketPacket
        {
            Type = SocketPacketType.BinaryEvent,
            Namespace = "/admin",
            AckId = 7,
            Data = new JArray("baz", new byte[] { 1, 2 }, new JObject { ["x"] = new JArray(3, new byte[] { 3, 4 }) }),
        });
        yield return ("binary ack", new SocketPacket { Type = SocketPacketType.BinaryAck, AckId = 15, Data = new JArray("bar", new byte[] { 1, 2, 3, 4 }) });
        if (version == SocketIoVersion.V4)
        {
            yield return ("connect with query", new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin", NamespaceQuery = "token=1234&uid=abcd" });
            yield return ("connect error", new SocketPacket { Type = SocketPacketType.ConnectError, Namespace = "/admin", Data = "Not authorized" });
        }
        else
        {
            yield return ("connect with auth", new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin", Data = new JObject { ["token"] = "123" } });
            yield return ("connect with sid", new SocketPacket { Type = SocketPacketType.Connect, Data = new JObject { ["sid"] = "oSO0OpakMV_3jnilAAAA" } });
            yield return ("connect error", new SocketPacket
            {
                Type = SocketPacketType.ConnectError,
                Data = new JObject { ["message"] = "Not authorized", ["data"] = new JObject { ["code"] = 7 } },
            });
        }
    }

    private static SocketPacketType WithoutBinary(SocketPacketType type) => type switch
    {
        SocketPacketType.BinaryEvent => SocketPacketType.Event,
        SocketPacketType.BinaryAck => SocketPacketType.Ack,
        _ => type,
    };

    private static string NamespaceWithQuery(SocketPacket packet) =>
        packet.NamespaceQuery is null ? packet.Namespace : packet.Namespace + "?" + packet.NamespaceQuery;

    // Parsers before 4.x leave choosing BINARY_EVENT/BINARY_ACK to the socket; 4.x choose it themselves.
    private static JObject ToBridgePacket(SocketPacket packet, string parser)
    {
        bool hasBinary = packet.Data?.SelectTokens("..*").Any(t => t.Type == JTokenType.Bytes) ?? false;
        SocketPacketType type = WithoutBinary(packet.Type);
        if (hasBinary && !parser.StartsWith("4.", StringComparison.Ordinal))
        {
            type = type == SocketPacketType.Event ? SocketPacketType.BinaryEvent : SocketPacketType.BinaryAck;
        }

        var result = new JObject { ["type"] = (int)type, ["nsp"] = NamespaceWithQuery(packet) };
        if (packet.AckId is int id)
        {
            result["id"] = id;
        }

        if (packet.Data is not null)
        {
            result["data"] = ToBridge(packet.Data);
        }

        return result;
    }

    private static JToken? ToBridge(JToken? token) => token switch
    {
        null => null,
        JValue { Type: JTokenType.Bytes, Value: byte[] bytes } => new JObject { ["$bytes"] = Convert.ToBase64String(bytes) },
        JArray array => new JArray(array.Select(ToBridge)),
        JObject obj => new JObject(obj.Properties().Select(p => new JProperty(p.Name, ToBridge(p.Value)))),
        _ => token.DeepClone(),
    };

    private async Task<JObject> AskAsync(JObject request)
    {
        Assert.That(_bridge, Is.Not.Null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Escaped to ASCII so lone surrogates survive the UTF-8 pipe.
        string json = JsonConvert.SerializeObject(request, new JsonSerializerSettings { StringEscapeHandling = StringEscapeHandling.EscapeNonAscii });
        await _bridge!.StandardInput.WriteLineAsync(json.AsMemory(), timeout.Token);
        await _bridge.StandardInput.FlushAsync(timeout.Token);
        string? line = await _bridge.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.That(line, Is.Not.Null, "the parser bridge ended");
        // Newtonsoft's reader would turn lone surrogates into U+FFFD; read the answer as the payload of
        // a v5 CONNECT instead, which keeps strings, dates and numbers exactly as written.
        var answer = (JObject)new SocketPacketDecoder(SocketIoVersion.V5).Decode("0" + line)!.Data!;
        Assert.That(answer["error"], Is.Null, $"{answer["error"]}");
        return answer;
    }

    private static string FindTestsProjectDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Signaling.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Signaling.Tests project directory not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
