using System.Text;
using System.Text.RegularExpressions;

namespace OmegaDb.Schema;

/// <summary>
/// A PowerShell-style wildcard (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>) matched against
/// whole names, case-insensitively, the way <c>-like</c> does. Translated to a regular
/// expression once, so matching thousands of catalog names costs no re-parsing.
/// </summary>
public sealed class NamePattern
{
    public const string InvalidPatternErrorId = "OmegaDb.InvalidNamePattern";

    private readonly Regex _regex;

    public NamePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _regex = new Regex(Translate(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public bool IsMatch(string name) => _regex.IsMatch(name);

    /// <summary>True when any of the patterns matches the name.</summary>
    public static bool AnyMatch(IReadOnlyList<NamePattern> patterns, string name)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The patterns, compiled; null or empty strings are ignored.</summary>
    public static IReadOnlyList<NamePattern> ParseAll(IEnumerable<string>? patterns) =>
        patterns is null ? [] : patterns.Where(p => !string.IsNullOrEmpty(p)).Select(p => new NamePattern(p)).ToArray();

    public override string ToString() => Pattern;

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder(@"\A", pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    i = AppendBracket(pattern, i, regex);
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append(@"\z").ToString();
    }

    /// <summary>Copies a <c>[...]</c> set, escaping everything but ranges; returns the index of its <c>]</c>.</summary>
    private static int AppendBracket(string pattern, int open, StringBuilder regex)
    {
        var close = pattern.IndexOf(']', open + 1);
        if (close <= open + 1)
        {
            throw new OmegaException(InvalidPatternErrorId, OmegaErrorCategory.InvalidArgument,
                $"The name pattern '{pattern}' is not valid: '[' at position {open + 1} needs a closing ']' with at least one character between them.", pattern);
        }

        regex.Append('[');
        for (var i = open + 1; i < close; i++)
        {
            var c = pattern[i];
            var isRange = c == '-' && i > open + 1 && i < close - 1;
            if (!isRange && !char.IsLetterOrDigit(c) && c != '_')
            {
                // Inside a class a backslash before any non-word character means that character.
                regex.Append('\\');
            }

            regex.Append(c);
        }

        regex.Append(']');
        return close;
    }
}
