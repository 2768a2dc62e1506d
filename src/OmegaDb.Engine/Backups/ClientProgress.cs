using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OmegaDb.Backups;

/// <summary>
/// Turns pg_dump's and pg_restore's <c>--verbose</c> lines into progress messages: the phase
/// it is in, and "table n of N" while it copies data. Table messages are thinned to a few per
/// second, because a 1000-table dump writes a line per table in a fraction of a second.
/// </summary>
public sealed partial class ClientProgress(IProgress<string> progress, string verb)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    // So that the very first message is always shown.
    private TimeSpan _last = -Interval;
    private int _tables;

    /// <summary>How many tables there are, once known; shown as "n of N".</summary>
    public int? TotalTables { get; set; }

    public void OnLine(string line)
    {
        var table = TablePattern().Match(line);
        if (table.Success)
        {
            var n = Interlocked.Increment(ref _tables);
            if (!Due(force: n == TotalTables))
            {
                return;
            }

            var of = TotalTables is { } total && total >= n ? $" ({n} of {total})" : $" ({n})";
            progress.Report($"{verb} table {table.Groups[1].Value}{of}");
            return;
        }

        var phase = PhasePattern().Match(line);
        if (phase.Success)
        {
            if (Due(force: false))
            {
                progress.Report(phase.Groups[1].Value);
            }
        }
    }

    private bool Due(bool force)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            if (!force && now - _last < Interval)
            {
                return false;
            }

            _last = now;
            return true;
        }
    }

    // pg_dump: "dumping contents of table "public.t""; pg_restore: "processing data for table "public.t"".
    [GeneratedRegex("""^pg_(?:dump|restore): (?:dumping contents of|processing data for) table "(.+)"$""")]
    private static partial Regex TablePattern();

    [GeneratedRegex("""^pg_(?:dump|restore): ((?:reading|saving|creating|launching|finished|executing|processing|dropping) .*)$""")]
    private static partial Regex PhasePattern();
}
