using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Signaling.LoadGen;

/// <summary>
/// Puts the results of both servers side by side: one Markdown table, a row per figure, with
/// the ratio ours ÷ reference. Either side may be missing or failed; its cells then say so.
/// </summary>
public static class MarkdownReport
{
    public static string Render(IReadOnlyList<ScenarioResult> reference, IReadOnlyList<ScenarioResult> ours)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | figure | unit | better | reference | ours | ours ÷ reference |");
        text.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: |");
        var keys = reference.Concat(ours).Select(result => (result.Scenario, result.Variant)).Distinct();
        foreach (var (scenario, variant) in keys)
        {
            var left = reference.FirstOrDefault(result => result.Scenario == scenario && result.Variant == variant);
            var right = ours.FirstOrDefault(result => result.Scenario == scenario && result.Variant == variant);
            var label = $"{scenario} ({variant})";
            text.AppendLine($"| **{label}** | checks | | | {Checks(left)} | {Checks(right)} | |");
            var names = (left?.Metrics ?? []).Concat(right?.Metrics ?? []).Select(metric => metric.Name).Distinct();
            foreach (var name in names)
            {
                var a = left?.Metrics.FirstOrDefault(metric => metric.Name == name);
                var b = right?.Metrics.FirstOrDefault(metric => metric.Name == name);
                var any = a ?? b!;
                text.AppendLine($"| | {name} | {any.Unit} | {any.Better} | {Format(a)} | {Format(b)} | {Ratio(a, b)} |");
            }
        }

        return text.ToString();
    }

    /// <summary>Reads the JSON lines a run appended; a missing file is an empty list.</summary>
    public static List<ScenarioResult> Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return [];
        }

        return File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<ScenarioResultLine>(line) ?? throw new InvalidDataException($"empty result line in {path}"))
            .Select(line => line.ToResult())
            .ToList();
    }

    public static string ToJsonLine(ScenarioResult result) =>
        JsonSerializer.Serialize(new ScenarioResultLine(result.Scenario, result.Variant, result.Failures, result.Metrics));

    private static string Checks(ScenarioResult? result) => result switch
    {
        null => "not run",
        { Ok: true } => "ok",
        _ => "FAILED: " + string.Join("; ", result.Failures).ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal),
    };

    private static string Format(Metric? metric) => metric is null ? "—" : Format(metric.Value);

    private static string Format(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 || value == Math.Floor(value) ? "N0" : magnitude >= 10 ? "N1" : magnitude >= 1 ? "N2" : "N3";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string Ratio(Metric? reference, Metric? ours) =>
        reference is null || ours is null || reference.Value == 0 || string.IsNullOrEmpty(reference.Better)
            ? ""
            : (ours.Value / reference.Value).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>The JSON shape of one result line.</summary>
    private sealed record ScenarioResultLine(string Scenario, string Variant, List<string> Failures, List<Metric> Metrics)
    {
        public ScenarioResult ToResult()
        {
            var result = new ScenarioResult(Scenario, Variant);
            result.Failures.AddRange(Failures);
            result.Metrics.AddRange(Metrics);
            return result;
        }
    }
}
