namespace OmegaDb.Schema;

/// <summary>Decodes pg_trigger's tgtype bits and tgenabled flag (TRIGGER_TYPE_* in PostgreSQL's pg_trigger.h).</summary>
internal static class TriggerType
{
    private const int Row = 1 << 0;
    private const int Before = 1 << 1;
    private const int Insert = 1 << 2;
    private const int Delete = 1 << 3;
    private const int Update = 1 << 4;
    private const int Truncate = 1 << 5;
    private const int Instead = 1 << 6;

    public static string Timing(short type) =>
        (type & Instead) != 0 ? "InsteadOf" : (type & Before) != 0 ? "Before" : "After";

    public static string Level(short type) => (type & Row) != 0 ? "Row" : "Statement";

    /// <summary>In the order CREATE TRIGGER documents them, whatever order the user wrote.</summary>
    public static IReadOnlyList<string> Events(short type)
    {
        var events = new List<string>(4);
        if ((type & Insert) != 0) events.Add("Insert");
        if ((type & Update) != 0) events.Add("Update");
        if ((type & Delete) != 0) events.Add("Delete");
        if ((type & Truncate) != 0) events.Add("Truncate");
        return events;
    }

    public static string Enabled(char flag) => flag switch
    {
        'D' => "Disabled",
        'R' => "Replica",
        'A' => "Always",
        _ => "Origin",
    };
}
