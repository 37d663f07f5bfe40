using System.Diagnostics.Metrics;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.Diagnostics;

/// <summary>
/// Engine.IO connections opened and open, by transport and protocol version: changed once per
/// handshake, upgrade and close (an interlocked add each), read by the scrape.
/// </summary>
internal static class ConnectionCounts
{
    private const string Polling = "polling";
    private const string WebSocket = "websocket";

    // [transport * 2 + version]: polling v3, polling v4, websocket v3, websocket v4.
    private static readonly long[] Open = new long[4];
    private static readonly long[] Opened = new long[4];

    public static void OnOpened(string transport, EngineIoVersion version)
    {
        var slot = Slot(transport, version);
        Interlocked.Increment(ref Opened[slot]);
        Interlocked.Increment(ref Open[slot]);
    }

    /// <summary>A polling connection became a WebSocket one.</summary>
    public static void OnUpgraded(EngineIoVersion version)
    {
        Interlocked.Decrement(ref Open[Slot(Polling, version)]);
        Interlocked.Increment(ref Open[Slot(WebSocket, version)]);
    }

    public static void OnClosed(string transport, EngineIoVersion version, string reason)
    {
        Interlocked.Decrement(ref Open[Slot(transport, version)]);
        // The reasons are the server's own constants, so the tag's values stay few.
        ServerMetrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public static IEnumerable<Measurement<long>> ReadOpen() => Read(Open);

    public static IEnumerable<Measurement<long>> ReadOpened() => Read(Opened);

    private static Measurement<long>[] Read(long[] counts) =>
    [
        Measure(counts, Polling, EngineIoVersion.V3),
        Measure(counts, Polling, EngineIoVersion.V4),
        Measure(counts, WebSocket, EngineIoVersion.V3),
        Measure(counts, WebSocket, EngineIoVersion.V4),
    ];

    private static Measurement<long> Measure(long[] counts, string transport, EngineIoVersion version) => new(
        Volatile.Read(ref counts[Slot(transport, version)]),
        new KeyValuePair<string, object?>("transport", transport),
        new KeyValuePair<string, object?>("engineio.version", version == EngineIoVersion.V3 ? "3" : "4"));

    private static int Slot(string transport, EngineIoVersion version) =>
        (transport == WebSocket ? 2 : 0) + (version == EngineIoVersion.V3 ? 0 : 1);
}
