namespace Signaling.Bench.Codecs;

/// <summary>A relayed event as the sender wrote it and as its target must receive it.</summary>
public sealed record RelayCase(string Name, string Incoming, string Forwarded)
{
    public override string ToString() => Name;

    public static IEnumerable<RelayCase> All() =>
    [
        new("candidate",
            string.Format(WireSamples.CandidateEventTemplate, WireSamples.TargetId),
            string.Format(WireSamples.CandidateEventTemplate, WireSamples.SenderId)),
        new("sdp offer, ack",
            string.Format(WireSamples.OfferEventTemplate, WireSamples.TargetId),
            string.Format(WireSamples.OfferForwardedTemplate, WireSamples.SenderId)),
    ];
}
