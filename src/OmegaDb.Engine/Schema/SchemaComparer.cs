namespace OmegaDb.Schema;

/// <summary>
/// Compare-OmegaSchema: what differs between a reference schema and another one. Objects are
/// matched by qualified name (functions by signature), so a rename reads as one object removed
/// and one added, and a view that became a materialized view as a View removed and a
/// MaterializedView added. An added or removed table or view is reported alone, without its
/// columns, indexes and the rest.
/// </summary>
public static class SchemaComparer
{
    public static IReadOnlyList<OmegaSchemaChange> Compare(OmegaSchema reference, OmegaSchema difference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(difference);

        var changes = new List<OmegaSchemaChange>();
        Diff(SchemaObjectKinds.Schema, null, reference.Schemas, difference.Schemas, changes);
        Diff(SchemaObjectKinds.Table, null, reference.Tables, difference.Tables, changes, (name, r, d) =>
        {
            CompareColumns(name, r.Columns, d.Columns, changes);
            Diff(SchemaObjectKinds.Constraint, name, r.Constraints, d.Constraints, changes);
            Diff(SchemaObjectKinds.Index, name, r.Indexes, d.Indexes, changes);
            Diff(SchemaObjectKinds.Trigger, name, r.Triggers, d.Triggers, changes);
        });
        CompareViews(SchemaObjectKinds.View, Views(reference, false), Views(difference, false), changes);
        CompareViews(SchemaObjectKinds.MaterializedView, Views(reference, true), Views(difference, true), changes);
        Diff(SchemaObjectKinds.Sequence, null, reference.Sequences, difference.Sequences, changes);
        Diff(SchemaObjectKinds.Type, null, reference.Types, difference.Types, changes);
        Diff(SchemaObjectKinds.Function, null, reference.Functions, difference.Functions, changes);
        Diff(SchemaObjectKinds.Extension, null, reference.Extensions, difference.Extensions, changes);

        return changes
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.ObjectType, StringComparer.Ordinal)
            .ThenBy(c => c.Property ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(c => c.Change)
            .ToList();
    }

    private static List<OmegaView> Views(OmegaSchema schema, bool materialized) =>
        schema.Views.Where(v => v.Materialized == materialized).ToList();

    private static void CompareViews(SchemaObjectKind<OmegaView> kind, List<OmegaView> reference, List<OmegaView> difference, List<OmegaSchemaChange> changes) =>
        Diff(kind, null, reference, difference, changes, (name, r, d) =>
        {
            CompareColumns(name, r.Columns, d.Columns, changes);
            Diff(SchemaObjectKinds.Index, name, r.Indexes, d.Indexes, changes);
            Diff(SchemaObjectKinds.Trigger, name, r.Triggers, d.Triggers, changes);
        });

    private static void CompareColumns(string owner, IReadOnlyList<OmegaColumn> reference, IReadOnlyList<OmegaColumn> difference, List<OmegaSchemaChange> changes)
    {
        Diff(SchemaObjectKinds.Column, owner, reference, difference, changes);
        CompareColumnOrder(owner, reference, difference, changes);
    }

    /// <summary>
    /// A Position change is reported only when the columns both sides have are in another
    /// order. Positions are renumbered without gaps, so dropping one column shifts every later
    /// one; reporting each shift would bury the one change that happened (the removal).
    /// </summary>
    private static void CompareColumnOrder(string owner, IReadOnlyList<OmegaColumn> reference, IReadOnlyList<OmegaColumn> difference, List<OmegaSchemaChange> changes)
    {
        var referenceNames = reference.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var differenceNames = difference.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var referenceOrder = reference.Where(c => differenceNames.Contains(c.Name)).OrderBy(c => c.Position).ToList();
        var differenceOrder = difference.Where(c => referenceNames.Contains(c.Name)).OrderBy(c => c.Position).ToList();
        if (referenceOrder.Count != differenceOrder.Count)
        {
            return; // duplicate names: nothing sensible to say about order
        }

        for (var rank = 0; rank < referenceOrder.Count; rank++)
        {
            var before = referenceOrder[rank];
            var afterRank = differenceOrder.FindIndex(c => c.Name == before.Name);
            if (afterRank != rank)
            {
                changes.Add(new OmegaSchemaChange
                {
                    ObjectType = SchemaObjectKinds.Column.ObjectType,
                    Name = owner + "." + before.Name,
                    Change = SchemaChangeKind.Changed,
                    Property = nameof(OmegaColumn.Position),
                    ReferenceValue = SchemaValueText.Render(before.Position),
                    DifferenceValue = SchemaValueText.Render(differenceOrder[afterRank].Position),
                });
            }
        }
    }

    /// <param name="compareChildren">Called for objects on both sides, with their qualified name.</param>
    private static void Diff<T>(SchemaObjectKind<T> kind, string? owner, IReadOnlyList<T> reference, IReadOnlyList<T> difference,
        List<OmegaSchemaChange> changes, Action<string, T, T>? compareChildren = null)
    {
        var referenceByName = ByName(kind, owner, reference);
        var differenceByName = ByName(kind, owner, difference);

        foreach (var (name, before) in referenceByName)
        {
            if (!differenceByName.TryGetValue(name, out var after))
            {
                changes.Add(new OmegaSchemaChange { ObjectType = kind.ObjectType, Name = name, Change = SchemaChangeKind.Removed });
                continue;
            }

            // Snapshots share the objects that did not change (the model is immutable), and a
            // migration's incremental read reuses nearly all of them.
            if (ReferenceEquals(before, after))
            {
                continue;
            }

            foreach (var property in kind.Properties)
            {
                var referenceValue = property.Read(before);
                var differenceValue = property.Read(after);
                if (!SchemaValueText.AreEqual(referenceValue, differenceValue))
                {
                    changes.Add(new OmegaSchemaChange
                    {
                        ObjectType = kind.ObjectType,
                        Name = name,
                        Change = SchemaChangeKind.Changed,
                        Property = property.Name,
                        ReferenceValue = SchemaValueText.Render(referenceValue),
                        DifferenceValue = SchemaValueText.Render(differenceValue),
                    });
                }
            }

            compareChildren?.Invoke(name, before, after);
        }

        foreach (var name in differenceByName.Keys.Where(n => !referenceByName.ContainsKey(n)))
        {
            changes.Add(new OmegaSchemaChange { ObjectType = kind.ObjectType, Name = name, Change = SchemaChangeKind.Added });
        }
    }

    /// <summary>A snapshot never holds two objects of one kind under one name; should one, the first counts.</summary>
    private static Dictionary<string, T> ByName<T>(SchemaObjectKind<T> kind, string? owner, IReadOnlyList<T> items)
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = kind.NameOf(item);
            byName.TryAdd(owner is null ? name : owner + "." + name, item);
        }

        return byName;
    }
}
