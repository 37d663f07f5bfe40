namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The configuration section an options class binds from, for <see cref="SectionOptions{T}"/>.</summary>
internal sealed record OptionsSection<T>(string Name)
    where T : class;
