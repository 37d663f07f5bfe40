namespace Signaling.Tests.Infrastructure;

/// <summary>Disposes several things together (e.g. the clients of one test), all of them even if one fails.</summary>
public sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    private readonly IAsyncDisposable[] _items = [.. items];

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var item in _items)
        {
            try
            {
                await item.DisposeAsync();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }
}
