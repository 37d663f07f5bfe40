using System.ComponentModel.DataAnnotations;

namespace Signaling.Server.Configuration;

/// <summary>A <see cref="TimeSpan"/> option that must lie between two durations (inclusive), given in <see cref="Duration"/>'s forms.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DurationAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = Duration.Parse(minimum);

    public TimeSpan Maximum { get; } = Duration.Parse(maximum);

    public override bool IsValid(object? value) => value is TimeSpan duration && duration >= Minimum && duration <= Maximum;

    public override string FormatErrorMessage(string name) => $"must be between {minimum} and {maximum}";
}
