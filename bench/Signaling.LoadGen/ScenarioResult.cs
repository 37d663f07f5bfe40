namespace Signaling.LoadGen;

/// <summary>
/// What one scenario run against one server measured, and whether its checks held
/// (nothing lost, duplicated, reordered or misrouted; every connection made). One JSON line each.
/// </summary>
public sealed class ScenarioResult(string scenario, string variant)
{
    public string Scenario { get; } = scenario;

    /// <summary>The sizes it ran with, e.g. "20 pairs, W=32, 10 s"; rows of the report are keyed on it.</summary>
    public string Variant { get; } = variant;

    public List<string> Failures { get; } = [];

    public List<Metric> Metrics { get; } = [];

    public bool Ok => Failures.Count == 0;

    public void Add(string name, double value, string unit, string better = "") =>
        Metrics.Add(new Metric(name, value, unit, better));

    /// <summary>Adds a count that must be zero, failing the scenario when it is not.</summary>
    public void AddMustBeZero(string name, long value)
    {
        Add(name, value, "count", "lower");
        if (value != 0)
        {
            Failures.Add($"{name}: {value}");
        }
    }
}
