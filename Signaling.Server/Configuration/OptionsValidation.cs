using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace Signaling.Server.Configuration;

/// <summary>
/// Runs the data annotations (attributes and <see cref="IValidatableObject"/>) of a bound options
/// object and of every options object inside it (nested classes, list items), naming each failure
/// by its configuration key. A rule for an options class lives on that class: an attribute on
/// the property, or <see cref="IValidatableObject.Validate"/> with the member's name (a
/// sub-key such as <c>Urls:0</c> names a list item).
/// </summary>
internal static class OptionsValidation
{
    /// <summary>One line per failure: <c>key=value message</c>, the value as configured.</summary>
    public static IEnumerable<string> Validate(object options, string prefix, Func<string, string?> configured)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var key = member.Length == 0 ? prefix : $"{prefix}:{member}";
                yield return configured(key) is { } value ? $"{key}={value} {result.ErrorMessage}" : $"{key} {result.ErrorMessage}";
            }
        }
        foreach (var property in options.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || !ConfigurationKeys.IsNested(property.PropertyType) || property.GetValue(options) is not { } value)
            {
                continue;
            }
            var key = $"{prefix}:{ConfigurationKeys.KeyOf(property)}";
            var items = value switch
            {
                IDictionary map => map.Keys.Cast<object>().Select(name => (map[name], $"{key}:{name}")),
                IEnumerable list => list.Cast<object?>().Select((item, index) => (item, $"{key}:{index}")),
                _ => [(value, key)],
            };
            foreach (var (item, itemKey) in items)
            {
                if (item is not null && !ConfigurationKeys.IsLeaf(item.GetType()))
                {
                    foreach (var failure in Validate(item, itemKey, configured))
                    {
                        yield return failure;
                    }
                }
            }
        }
    }
}
