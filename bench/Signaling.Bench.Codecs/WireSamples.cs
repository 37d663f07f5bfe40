namespace Signaling.Bench.Codecs;

/// <summary>
/// Realistic pieces of the relay's traffic (shared/SIGNALING.md), written out by hand as a browser
/// client's <c>JSON.stringify</c> would send them, so no codec under test produces its own input.
/// </summary>
internal static class WireSamples
{
    // Declared first: static initialisers run in textual order, and the properties below read it.
    private static readonly string[] SdpLines =
    [
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS 6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:sK4p",
        "a=ice-pwd:Xq3v9LmT0pZ2rW8yB4nC6dF1",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 3C:8A:1F:52:9B:E4:07:6D:A1:C9:33:5E:F0:12:8B:7C:4D:96:E2:0A:B5:61:3F:D8:27:C4:90:1E:6B:A3:58:F7",
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=sendrecv",
        "a=msid:6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71 2f9e4b1c-7d3a-4e8f-b6c5-0a1d2e3f4b5c",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2",
        "a=fmtp:63 111/111",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:13 CN/8000",
        "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000",
        "a=ssrc:1736484162 cname:Yk3sP9qW2xV7mN1b",
        "a=ssrc:1736484162 msid:6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71 2f9e4b1c-7d3a-4e8f-b6c5-0a1d2e3f4b5c",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 112 113 116",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:sK4p",
        "a=ice-pwd:Xq3v9LmT0pZ2rW8yB4nC6dF1",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 3C:8A:1F:52:9B:E4:07:6D:A1:C9:33:5E:F0:12:8B:7C:4D:96:E2:0A:B5:61:3F:D8:27:C4:90:1E:6B:A3:58:F7",
        "a=setup:actpass",
        "a=mid:1",
        "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=extmap:13 urn:3gpp:video-orientation",
        "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
        "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type",
        "a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing",
        "a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
        "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
        "a=sendrecv",
        "a=msid:6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71 8c7b6a59-4e3d-2c1b-0a9f-8e7d6c5b4a39",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 goog-remb",
        "a=rtcp-fb:96 transport-cc",
        "a=rtcp-fb:96 ccm fir",
        "a=rtcp-fb:96 nack",
        "a=rtcp-fb:96 nack pli",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96",
        "a=rtpmap:102 H264/90000",
        "a=rtcp-fb:102 goog-remb",
        "a=rtcp-fb:102 transport-cc",
        "a=rtcp-fb:102 ccm fir",
        "a=rtcp-fb:102 nack",
        "a=rtcp-fb:102 nack pli",
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
        "a=rtpmap:103 rtx/90000",
        "a=fmtp:103 apt=102",
        "a=rtpmap:112 red/90000",
        "a=rtpmap:113 rtx/90000",
        "a=fmtp:113 apt=112",
        "a=rtpmap:116 ulpfec/90000",
        "a=ssrc-group:FID 2231627014 632943048",
        "a=ssrc:2231627014 cname:Yk3sP9qW2xV7mN1b",
        "a=ssrc:2231627014 msid:6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71 8c7b6a59-4e3d-2c1b-0a9f-8e7d6c5b4a39",
        "a=ssrc:632943048 cname:Yk3sP9qW2xV7mN1b",
        "a=ssrc:632943048 msid:6a2c8bd0-0f1e-4c57-9d6a-1f0b3e9c2a71 8c7b6a59-4e3d-2c1b-0a9f-8e7d6c5b4a39",
    ];

    /// <summary>A Socket.IO v3/v4 client's socket id (20 base64url characters).</summary>
    public const string TargetId = "Qz1kL0mN2oP3qR4sT5uV";

    /// <summary>The id the relay splices in as the sender.</summary>
    public const string SenderId = "aB3dE5fG7hI9jK1lM3nO";

    /// <summary>
    /// An ICE candidate event as a browser emits it, about 200 characters; <c>{0}</c> stands for the
    /// target id.
    /// </summary>
    public const string CandidateEventTemplate =
        "2[\"candidate\",\"{0}\",{{\"candidate\":\"candidate:842163049 1 udp 1677729535 203.0.113.7 49203 typ srflx " +
        "raddr 192.168.1.20 rport 49203 generation 0 ufrag sK4p network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}]";

    /// <summary>
    /// An offer event as a browser emits it, asking for an acknowledgement (ack id 12); <c>{0}</c> stands
    /// for the target id. <see cref="SdpOfferJson"/> makes it about 3 KB.
    /// </summary>
    public static string OfferEventTemplate { get; } =
        "212[\"offer\",\"{0}\",{{\"type\":\"offer\",\"sdp\":\"" + SdpOfferJson + "\"}}]";

    /// <summary>What the target receives for <see cref="OfferEventTemplate"/>: no ack id, sender in place of target.</summary>
    public static string OfferForwardedTemplate { get; } =
        "2[\"offer\",\"{0}\",{{\"type\":\"offer\",\"sdp\":\"" + SdpOfferJson + "\"}}]";

    /// <summary>The SDP of an audio and video offer from a desktop browser, as the JavaScript string.</summary>
    public static string SdpOffer { get; } = string.Concat(SdpLines.Select(line => line + "\r\n"));

    /// <summary><see cref="SdpOffer"/> as it sits inside a JSON string: CR LF escaped, nothing else needs it.</summary>
    public static string SdpOfferJson => string.Concat(SdpLines.Select(line => line + "\\r\\n"));

    /// <summary>A binary attachment: <paramref name="length"/> bytes of a pattern that differs per <paramref name="seed"/>.</summary>
    public static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }
}
