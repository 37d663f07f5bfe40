namespace Signaling.Server.Hosting;

/// <summary>The options classes of <see cref="OptionsCatalog.Sections"/>, bound from the configuration and validated.</summary>
internal sealed class BoundOptions
{
    private readonly Dictionary<Type, object> _options = [];

    public IEnumerable<(Type Type, object Options)> All => _options.Select(entry => (entry.Key, entry.Value));

    public void Add(Type type, object options) => _options.Add(type, options);

    public T Get<T>()
        where T : class => (T)_options[typeof(T)];
}
