using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json.Linq;

namespace Signaling.Server.Signaling;

/// <summary>
/// Who is online, oldest first, and who of them is busy in a call: renaming (or a change of
/// busy) keeps a user's place, leaving removes it.
/// Not thread-safe: <see cref="PresenceAnnouncer"/> serialises changes and snapshots.
/// </summary>
public sealed class PresenceList
{
    private readonly List<(string Id, string Name, bool Busy)> _entries = [];

    /// <summary>How many sockets are listed.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds the user, or renames them (and sets busy) in place.</summary>
    public void Set(string id, string name, bool busy = false)
    {
        var index = _entries.FindIndex(e => e.Id == id);
        if (index >= 0)
        {
            _entries[index] = (id, name, busy);
        }
        else
        {
            _entries.Add((id, name, busy));
        }
    }

    /// <summary>Removes the user, giving the name they had; false when they were not online, so nothing needs announcing.</summary>
    public bool Remove(string id, [NotNullWhen(true)] out string? name)
    {
        var index = _entries.FindIndex(e => e.Id == id);
        if (index < 0)
        {
            name = null;
            return false;
        }
        name = _entries[index].Name;
        _entries.RemoveAt(index);
        return true;
    }

    /// <summary>
    /// The list as clients receive it: <c>[{"id":…,"name":…}, …]</c>, with <c>"busy":true</c>
    /// only on those who said so (the list of pages that never do is unchanged).
    /// </summary>
    public JArray Snapshot() => new(_entries.Select(e => Entry(e.Id, e.Name, e.Busy)));

    /// <summary>One entry of the list, also for lists gathered across a cluster (<see cref="PresenceData"/>).</summary>
    internal static JObject Entry(string id, string name, bool busy)
    {
        var entry = new JObject { ["id"] = id, ["name"] = name };
        if (busy)
        {
            entry["busy"] = true;
        }
        return entry;
    }
}
