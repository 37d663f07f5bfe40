namespace Signaling.Server.Diagnostics;

/// <summary>The Prometheus endpoint, bound from the <c>Metrics</c> configuration section.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c> (Prometheus text). Off: the instruments still count for <c>dotnet-counters</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Addresses, separated by <c>;</c> as in <c>--urls</c>, that serve <c>/metrics</c>, <c>/healthz</c>
    /// and <c>/readyz</c> and nothing else, e.g. <c>http://127.0.0.1:9464</c>: the main addresses then
    /// do not serve <c>/metrics</c>. Empty: <c>/metrics</c> is served on the main addresses.
    /// </summary>
    public string Urls { get; set; } = "";
}
