namespace Signaling.LoadGen;

/// <summary>One benchmark scenario, its sizes read from the command line when it is made.</summary>
public interface IScenario
{
    string Name { get; }

    /// <summary>The sizes it runs with, e.g. "20 pairs, W=32, 200 B, 10 s"; the report's rows are keyed on it.</summary>
    string Variant { get; }

    Task<ScenarioResult> RunAsync(CancellationToken cancellationToken);
}
