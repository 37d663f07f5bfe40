using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json.Linq;

namespace Signaling.Server.Signaling;

/// <summary>
/// Who is online, oldest first: renaming keeps a user's place, leaving removes it.
/// Not thread-safe: <see cref="PresenceAnnouncer"/> serialises changes and snapshots.
/// </summary>
public sealed class PresenceList
{
    private readonly List<(string Id, string Name)> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Adds the user, or renames them in place.</summary>
    public void Set(string id, string name)
    {
        var index = _entries.FindIndex(e => e.Id == id);
        if (index >= 0)
        {
            _entries[index] = (id, name);
        }
        else
        {
            _entries.Add((id, name));
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

    /// <summary>The list as clients receive it: <c>[{"id":…,"name":…}, …]</c>.</summary>
    public JArray Snapshot() => new(_entries.Select(e => new JObject { ["id"] = e.Id, ["name"] = e.Name }));
}
