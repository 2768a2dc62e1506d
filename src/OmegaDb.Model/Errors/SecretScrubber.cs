using System.Collections.Concurrent;

namespace OmegaDb;

/// <summary>
/// Remembers every password the module has seen in this process and blanks it out of any
/// text on its way to the user. The rule is that no password reaches a stream, an error or a
/// file; messages from servers and child processes are not under our control, so everything
/// user-visible is passed through here as a last line of defence.
/// </summary>
public static class SecretScrubber
{
    private const string Mask = "********";
    private static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    internal static void Remember(string? secret)
    {
        // Very short secrets would blank out ordinary words; they are still never printed by
        // the module itself, this only guards against text from elsewhere.
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 3)
        {
            Secrets.TryAdd(secret, 0);
            var encoded = Uri.EscapeDataString(secret);
            if (encoded != secret)
            {
                Secrets.TryAdd(encoded, 0);
            }
        }
    }

    public static string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in Secrets.Keys.OrderByDescending(s => s.Length))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
