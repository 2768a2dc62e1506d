using System.Text.RegularExpressions;

namespace OmegaDb.Migrations;

/// <summary>
/// The <c>-- omega:NAME</c> line comments that divide a migration file. Any line comment
/// that starts with <c>omega:</c> is meant as one, so a misspelt directive is an error with a
/// suggestion rather than a comment that silently puts down SQL into the up section.
/// </summary>
internal sealed partial record MigrationDirective(string Name, string Trailing)
{
    public const string NoTransaction = "no-transaction";

    private static readonly string[] Known = ["up", "down", "verify", NoTransaction];

    public static string KnownList => "-- omega:up, -- omega:down, -- omega:verify and -- omega:no-transaction";

    public string Marker => "-- omega:" + Name;

    public bool IsKnown => Known.Contains(Name);

    /// <summary>The section this directive starts, or null for the no-transaction flag.</summary>
    public MigrationSectionKind? Section => Name switch
    {
        "up" => MigrationSectionKind.Up,
        "down" => MigrationSectionKind.Down,
        "verify" => MigrationSectionKind.Verify,
        _ => null,
    };

    /// <summary>Reads a line comment's text (<c>-- omega:up</c>); null when it is an ordinary comment.</summary>
    public static MigrationDirective? TryRead(string lineComment)
    {
        var match = Pattern().Match(lineComment);
        return match.Success
            ? new MigrationDirective(match.Groups["name"].Value.ToLowerInvariant(), match.Groups["trailing"].Value.Trim())
            : null;
    }

    /// <summary>The known directive a typo most likely meant, or null when none is close.</summary>
    public string? ClosestKnown()
    {
        var (best, distance) = Known.Select(k => (k, Distance(Name, k))).MinBy(p => p.Item2);
        return distance <= Math.Max(1, best.Length / 3) + 1 ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"\A--[ \t]*omega:[ \t]*(?<name>[^ \t]*)(?<trailing>.*)\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
