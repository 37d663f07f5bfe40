namespace Signaling.LoadGen;

/// <summary>One figure of a scenario. <paramref name="Better"/> is "higher", "lower" or "" (informative).</summary>
public sealed record Metric(string Name, double Value, string Unit, string Better);
