using System.Collections.Concurrent;
using System.Net;

namespace Signaling.Server.EngineIo;

/// <summary>
/// Sessions open per client address, for <see cref="EngineIoOptions.MaxConnectionsPerAddress"/>:
/// an address holds a slot from its handshake until its session is removed. Addresses without a
/// session are forgotten, so the table holds only the addresses connected now.
/// </summary>
internal sealed class ConnectionsPerAddress(int limit)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public bool Enabled => limit > 0;

    /// <summary>Takes a slot for <paramref name="address"/>; false when it has <c>limit</c> already (or the limit is off: true).</summary>
    public bool TryAdmit(IPAddress? address)
    {
        if (!Enabled || address is null)
        {
            return true;
        }

        while (true)
        {
            if (!_open.TryGetValue(address, out var count))
            {
                if (_open.TryAdd(address, 1))
                {
                    return true;
                }
            }
            else if (count >= limit)
            {
                return false;
            }
            else if (_open.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryAdmit"/>.</summary>
    public void Release(IPAddress? address)
    {
        if (!Enabled || address is null)
        {
            return;
        }

        while (_open.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _open.TryRemove(KeyValuePair.Create(address, count)) : _open.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
