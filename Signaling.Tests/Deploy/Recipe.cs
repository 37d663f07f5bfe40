using System.Text.RegularExpressions;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Deploy;

/// <summary>
/// A configuration file from deploy/ as the tests run it: the recipe's own text with only its
/// addresses, ports and paths replaced. Each replacement must match as often as the test expects,
/// so a recipe that changes shape fails the test instead of being tested half-substituted.
/// </summary>
internal sealed class Recipe
{
    private string _text;

    private Recipe(string path, string text)
    {
        Path = path;
        _text = text;
    }

    public string Path { get; }

    public string Text => _text;

    public static Recipe Load(params string[] pathInDeploy)
    {
        var path = System.IO.Path.Combine([RepositoryLayout.Root, "deploy", .. pathInDeploy]);
        return new Recipe(path, File.ReadAllText(path));
    }

    /// <summary>Replaces each match of <paramref name="pattern"/> (one line of the file) with the next of <paramref name="replacements"/>; there must be exactly that many.</summary>
    public Recipe Replace(string pattern, params string[] replacements)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var count = regex.Count(_text);
        if (count != replacements.Length)
        {
            throw new InvalidOperationException($"{Path}: /{pattern}/ matches {count} line(s), the test substitutes {replacements.Length}:\n{_text}");
        }
        var next = 0;
        _text = regex.Replace(_text, _ => replacements[next++]);
        return this;
    }

    public void WriteTo(string file) => File.WriteAllText(file, _text);
}
