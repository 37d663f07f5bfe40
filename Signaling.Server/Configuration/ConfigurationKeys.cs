using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Signaling.Server.Configuration;

/// <summary>
/// The configuration keys a program knows, as a tree of key segments: the properties of its
/// options classes, found by reflection as the configuration binder sees them (nested classes,
/// list and array items as <c>0</c>, <c>1</c>…, dictionary entries), and keys under which any
/// key is accepted (a framework's own sections, such as <c>Kestrel</c>).
/// </summary>
internal sealed class ConfigurationKeys
{
    private const int MaxDepth = 8;

    private readonly Node _root = new();

    /// <summary>The keys of <paramref name="optionsType"/>'s properties under <paramref name="section"/>.</summary>
    public void AddOptions(string section, Type optionsType) => AddType(NodeAt(section), optionsType, 0);

    /// <summary>One key whose value is a <paramref name="valueType"/>.</summary>
    public void AddValue(string key, Type valueType) => NodeAt(key).ValueType = valueType;

    /// <summary>A section under which every key is accepted and none is checked.</summary>
    public void AddOpenSection(string section) => NodeAt(section).Open = true;

    /// <summary>
    /// Whether <paramref name="key"/> is known (case-insensitive, as configuration is), and the
    /// type its value binds to: null for a section (object or list) or within an open section.
    /// </summary>
    public bool TryFind(string key, out Type? valueType) => TryFind(key, out valueType, out _);

    /// <inheritdoc cref="TryFind(string, out Type?)"/>
    /// <param name="key">The key.</param>
    /// <param name="valueType">The type its value binds to.</param>
    /// <param name="isSection">Whether it is a section (object or list).</param>
    public bool TryFind(string key, out Type? valueType, out bool isSection)
    {
        var node = _root;
        foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            if (node.Open)
            {
                break;
            }
            if (node.Children.TryGetValue(segment, out var child))
            {
                node = child;
            }
            else if (node.Items is { } items && (node.AnyItemKey || segment.All(char.IsAsciiDigit)))
            {
                node = items;
            }
            else
            {
                valueType = null;
                isSection = false;
                return false;
            }
        }
        valueType = node.Open ? null : node.ValueType;
        isSection = !node.Open && node.ValueType is null;
        return true;
    }

    /// <summary>Every key that takes a value, list items written as <c>0</c>, e.g. <c>Server:IceServers:0:Urls:0</c>.</summary>
    public IEnumerable<string> ValueKeys() => ValueKeys(_root, "");

    /// <summary>Whether the binder sets a value of this type from one string rather than from child keys.</summary>
    public static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    /// <summary>Whether a property of this type holds options of its own (a class, a list, a dictionary).</summary>
    public static bool IsNested(Type type) => !IsLeaf(type) && !typeof(Delegate).IsAssignableFrom(type) && (type.IsClass || type.IsInterface);

    /// <summary>A property's key: its name, or the one <see cref="ConfigurationKeyNameAttribute"/> gives.</summary>
    public static string KeyOf(PropertyInfo property) => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private Node NodeAt(string key)
    {
        var node = _root;
        foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            node = node.Children.TryGetValue(segment, out var child) ? child : node.Children[segment] = new Node();
        }
        return node;
    }

    private static void AddType(Node node, Type type, int depth)
    {
        if (IsLeaf(type))
        {
            node.ValueType = Nullable.GetUnderlyingType(type) ?? type;
            return;
        }
        if (depth > MaxDepth)
        {
            node.Open = true;
            return;
        }
        if (ItemType(type, out var isDictionary) is { } itemType)
        {
            node.Items = new Node();
            node.AnyItemKey = isDictionary;
            AddType(node.Items, itemType, depth + 1);
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // The binder sets what has a public setter, and fills what a getter returns unless it is a leaf.
            var bindable = property.SetMethod?.IsPublic == true || (property.GetMethod?.IsPublic == true && !IsLeaf(property.PropertyType));
            if (bindable && property.GetIndexParameters().Length == 0 && (IsLeaf(property.PropertyType) || IsNested(property.PropertyType)))
            {
                var child = new Node();
                node.Children[KeyOf(property)] = child;
                AddType(child, property.PropertyType, depth + 1);
            }
        }
    }

    /// <summary>The item type of an array, list or dictionary with string keys; null for other types.</summary>
    private static Type? ItemType(Type type, out bool isDictionary)
    {
        isDictionary = false;
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var interfaces = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        if (interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            isDictionary = true;
            return dictionary.GetGenericArguments()[1];
        }
        if (type != typeof(string) && interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            return enumerable.GetGenericArguments()[0];
        }
        return typeof(IEnumerable).IsAssignableFrom(type) ? typeof(string) : null;
    }

    private static IEnumerable<string> ValueKeys(Node node, string prefix)
    {
        if (node.ValueType is not null)
        {
            yield return prefix;
        }
        var children = node.Children.Select(child => (child.Value, child.Key));
        if (node.Items is { } items)
        {
            children = children.Append((items, "0"));
        }
        foreach (var (child, segment) in children)
        {
            foreach (var key in ValueKeys(child, prefix.Length == 0 ? segment : $"{prefix}:{segment}"))
            {
                yield return key;
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The node of every item, for a list (keys 0, 1, …) or a dictionary (any key).</summary>
        public Node? Items { get; set; }

        public bool AnyItemKey { get; set; }

        public Type? ValueType { get; set; }

        public bool Open { get; set; }
    }
}
