using OmegaDb.Schema;

namespace OmegaDb.Data;

/// <summary>
/// Turns the options and the two catalogs into a <see cref="DataCopyPlan"/>, or refuses with
/// every problem named, before a single row moves: tables the destination lacks, columns that
/// differ, masks and filters that name nothing or could not apply.
/// </summary>
internal static class DataCopyPlanner
{
    public const string TableNotFoundErrorId = "OmegaDb.TableNotFound";
    public const string DestinationTableMissingErrorId = "OmegaDb.DestinationTableMissing";
    public const string ColumnMismatchErrorId = "OmegaDb.DataColumnMismatch";
    public const string MaskColumnNotFoundErrorId = "OmegaDb.MaskColumnNotFound";
    public const string MaskNotNullColumnErrorId = "OmegaDb.MaskNotNullColumn";
    public const string MaskBreaksForeignKeyErrorId = "OmegaDb.MaskBreaksForeignKey";
    public const string InvalidWhereErrorId = "OmegaDb.InvalidWhere";

    public static DataCopyPlan Plan(DataCatalog source, DataCatalog destination, DataCopyOptions options)
    {
        var excluded = NamePattern.ParseAll(options.ExcludedTables);
        var selected = Select(source, options.Tables).Where(t => !excluded.Any(p => Matches(p, t))).ToArray();
        var targets = MatchDestination(selected, destination);
        var masks = ResolveMasks(source, selected, targets, options.Masks);
        var wheres = ResolveWhere(selected, options);
        CheckMasksKeepForeignKeys(source, selected, masks);

        var plans = selected.ToDictionary(t => t.Oid, t => new TableCopyPlan(
            t, targets[t.Oid], t.Copied.ToArray(),
            masks.TryGetValue(t.Oid, out var m) ? m : new Dictionary<string, ColumnMask>(),
            wheres.GetValueOrDefault(t.Oid),
            options.Limit is not null || wheres.ContainsKey(t.Oid)));
        var groups = CopyOrder.Of(selected, source.ForeignKeys)
            .Select(g => (IReadOnlyList<TableCopyPlan>)g.Select(t => plans[t.Oid]).ToArray())
            .ToArray();
        var selectedOids = selected.Select(t => t.Oid).ToHashSet();
        var edges = source.ForeignKeys.Where(e => selectedOids.Contains(e.Child) && selectedOids.Contains(e.Parent)).ToArray();
        return new DataCopyPlan(groups, edges, options.Samples);
    }

    private static IReadOnlyList<CopyTable> Select(DataCatalog source, IReadOnlyList<string> patterns)
    {
        var filter = NamePattern.ParseAll(patterns);
        if (filter.Count == 0)
        {
            return source.Tables;
        }

        var unmatched = filter.Where(p => !HasWildcard(p.Pattern) && !source.Tables.Any(t => Matches(p, t))).Select(p => p.Pattern).ToArray();
        if (unmatched.Length > 0)
        {
            throw new OmegaException(TableNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                $"The source has no table named {string.Join(", ", unmatched.Select(u => $"'{u}'"))}. Check -Table against Get-OmegaSchema of the source.", unmatched);
        }

        return source.Tables.Where(t => filter.Any(p => Matches(p, t))).ToArray();
    }

    private static Dictionary<uint, CopyTable> MatchDestination(IReadOnlyList<CopyTable> selected, DataCatalog destination)
    {
        var targets = new Dictionary<uint, CopyTable>();
        var missing = new List<string>();
        var mismatches = new List<string>();
        foreach (var table in selected)
        {
            var target = destination.ByName(table.Schema, table.Name);
            if (target is null)
            {
                missing.Add(table.FullName);
                continue;
            }

            targets[table.Oid] = target;
            var theirs = target.Copied.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var ours = table.Copied.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var problems = new List<string>();
            problems.AddRange(ours.Keys.Where(n => !theirs.ContainsKey(n)).Select(n => $"{n} is missing in the destination"));
            problems.AddRange(theirs.Keys.Where(n => !ours.ContainsKey(n)).Select(n => $"{n} exists only in the destination"));
            problems.AddRange(ours.Values.Where(c => theirs.TryGetValue(c.Name, out var d) && d.Type != c.Type)
                .Select(c => $"{c.Name} is {c.Type} in the source but {theirs[c.Name].Type} in the destination"));
            if (problems.Count > 0)
            {
                mismatches.Add($"{table.FullName}: {string.Join("; ", problems)}");
            }
        }

        if (missing.Count > 0)
        {
            throw new OmegaException(DestinationTableMissingErrorId, OmegaErrorCategory.ObjectNotFound,
                $"The destination has no table {string.Join(", ", missing)}. Copy the schema first (New-OmegaSandbox -From, or the migrations), or leave these tables out with -Table.", missing);
        }

        if (mismatches.Count > 0)
        {
            throw new OmegaException(ColumnMismatchErrorId, OmegaErrorCategory.InvalidData,
                $"The columns of the source and destination differ, so rows cannot be copied as they are: {string.Join(" | ", mismatches)}. Bring the destination's schema in line (Compare-OmegaSchema shows the differences).", mismatches);
        }

        return targets;
    }

    private static Dictionary<uint, Dictionary<string, ColumnMask>> ResolveMasks(DataCatalog source, IReadOnlyList<CopyTable> selected,
        Dictionary<uint, CopyTable> targets, IReadOnlyDictionary<string, object?> specs)
    {
        var resolved = new Dictionary<uint, Dictionary<string, ColumnMask>>();
        var selectedOids = selected.Select(t => t.Oid).ToHashSet();
        foreach (var (key, value) in specs.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var mask = ColumnMask.Parse(key, value);
            var parts = key.Split('.');
            if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
            {
                throw new OmegaException(ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The mask key '{key}' must name a column as 'table.column' or 'schema.table.column'.", key);
            }

            var (schema, tableName, columnName) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (null, parts[0], parts[1]);
            var candidates = source.Tables.Where(t => t.Name == tableName && (schema is null || t.Schema == schema)).ToArray();
            var table = candidates.Length switch
            {
                0 => throw new OmegaException(MaskColumnNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                    $"The mask '{key}' names the table '{(schema is null ? tableName : schema + "." + tableName)}', which the source does not have. Check the spelling (names are case-sensitive).", key),
                1 => candidates[0],
                _ => candidates.FirstOrDefault(t => t.Schema == "public") ?? throw new OmegaException(ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The mask '{key}' could mean {string.Join(" or ", candidates.Select(c => c.FullName))}. Name the schema: 'schema.table.column'.", key),
            };
            var column = table.Column(columnName) ?? throw new OmegaException(MaskColumnNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                $"The mask '{key}' names the column '{columnName}', which {table.FullName} does not have. Its columns: {string.Join(", ", table.Columns.Select(c => c.Name))}.", key);
            if (column.Generated)
            {
                throw new OmegaException(ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The mask '{key}' names a generated column; the destination computes it from the other columns, so mask those instead.", key);
            }

            if (mask.Kind is MaskKind.Email or MaskKind.Name or MaskKind.Hash && !column.IsString)
            {
                throw new OmegaException(ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The mask '{key}' uses {mask.Kind}, which writes text, but {table.FullName}.{column.Name} is {column.Type}. Use Null or 'Fixed:value' for this column.", key);
            }

            if (mask.Kind == MaskKind.Null && (column.NotNull || (targets.TryGetValue(table.Oid, out var target) && target.Column(column.Name)!.NotNull)))
            {
                throw new OmegaException(MaskNotNullColumnErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The mask '{key}' writes NULL, but {table.FullName}.{column.Name} is NOT NULL. Use another masker (Hash, 'Fixed:value', ...).", key);
            }

            // A team's mask set names all its sensitive columns; a copy of some tables uses the
            // masks of those, once the rest are known to name real columns.
            if (!selectedOids.Contains(table.Oid))
            {
                continue;
            }

            var columns = resolved.TryGetValue(table.Oid, out var existing) ? existing : resolved[table.Oid] = new Dictionary<string, ColumnMask>(StringComparer.Ordinal);
            if (columns.TryGetValue(column.Name, out var other) && other != mask)
            {
                throw new OmegaException(ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"{table.FullName}.{column.Name} is given two masks ({other} and {mask}). Keep one.", key);
            }

            columns[column.Name] = mask;
        }

        return resolved;
    }

    /// <summary>
    /// A masked key column changes the values a foreign key compares, so both ends need the
    /// same masker: a deterministic one then maps equal values to equal values.
    /// </summary>
    private static void CheckMasksKeepForeignKeys(DataCatalog source, IReadOnlyList<CopyTable> selected, Dictionary<uint, Dictionary<string, ColumnMask>> masks)
    {
        var selectedOids = selected.Select(t => t.Oid).ToHashSet();
        foreach (var edge in source.ForeignKeys.Where(e => selectedOids.Contains(e.Child) && selectedOids.Contains(e.Parent)))
        {
            for (var i = 0; i < edge.ChildColumns.Count; i++)
            {
                var childMask = masks.GetValueOrDefault(edge.Child)?.GetValueOrDefault(edge.ChildColumns[i]);
                var parentMask = masks.GetValueOrDefault(edge.Parent)?.GetValueOrDefault(edge.ParentColumns[i]);
                if (childMask != parentMask)
                {
                    var child = $"{source.ByOid(edge.Child)}.{edge.ChildColumns[i]}";
                    var parent = $"{source.ByOid(edge.Parent)}.{edge.ParentColumns[i]}";
                    throw new OmegaException(MaskBreaksForeignKeyErrorId, OmegaErrorCategory.InvalidArgument,
                        $"The foreign key {edge.Name} compares {child} ({childMask?.ToString() ?? "not masked"}) with {parent} ({parentMask?.ToString() ?? "not masked"}); masking them differently breaks it. Give both columns the same mask.", edge.Name);
                }
            }
        }
    }

    private static Dictionary<uint, string> ResolveWhere(IReadOnlyList<CopyTable> selected, DataCopyOptions options)
    {
        var wheres = new Dictionary<uint, string>();
        if (!string.IsNullOrWhiteSpace(options.Where))
        {
            foreach (var table in selected)
            {
                wheres[table.Oid] = options.Where;
            }
        }

        var givenBy = new Dictionary<uint, string>();
        foreach (var (key, predicate) in options.TableWhere.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(predicate))
            {
                throw new OmegaException(InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The filter for '{key}' is empty. Give a predicate such as \"created_at > now() - interval '30 days'\", or leave the table out.", key);
            }

            var pattern = new NamePattern(key);
            var tables = selected.Where(t => Matches(pattern, t)).ToArray();
            if (tables.Length == 0)
            {
                throw new OmegaException(InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The filter for '{key}' matches no table being copied. Check the name, or add the table to -Table.", key);
            }

            foreach (var table in tables)
            {
                if (givenBy.TryGetValue(table.Oid, out var other))
                {
                    throw new OmegaException(InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                        $"Both '{other}' and '{key}' give a filter for {table.FullName}. Give each table one filter (combine them with AND).", key);
                }

                givenBy[table.Oid] = key;
                wheres[table.Oid] = predicate;
            }
        }

        return wheres;
    }

    private static bool Matches(NamePattern pattern, CopyTable table) => pattern.IsMatch(table.Name) || pattern.IsMatch(table.FullName);

    private static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;
}
