using static OmegaDb.Schema.Expectations.ExpectationText;

namespace OmegaDb.Schema.Expectations;

/// <summary>
/// Tests one schema against a parsed expectation, one result per assertion. Sections run in a
/// fixed order (schemas, extensions, types, sequences, tables, views, functions, Absent), the
/// order things are created in; within a section, in the order the expectation lists them.
/// When a table is missing, each assertion about its contents is still reported, failed with
/// Actual <c>&lt;table missing&gt;</c>, so one run shows everything the migration has to do;
/// its Absent assertions pass, as nothing of a missing table exists.
/// </summary>
internal sealed class ExpectationChecker(OmegaSchema actual, string target)
{
    private readonly List<OmegaSchemaTestResult> _results = [];

    public IReadOnlyList<OmegaSchemaTestResult> Check(SchemaExpectation expectation)
    {
        foreach (var schema in expectation.Schemas)
        {
            var exists = FindSchema(schema);
            Add($"Schema {exists ?? schema} exists", Present, exists is null ? Missing : Present, exists is not null);
        }

        foreach (var extension in expectation.Extensions)
        {
            CheckObject("Extension", FindExtension(extension.Name!), extension.Properties);
        }

        foreach (var type in expectation.Types)
        {
            CheckObject("Type", ObjectLookup.InSchemas(actual.Types, type.Name!, t => t.Schema, t => t.Name, t => t.FullName), type.Properties);
        }

        foreach (var sequence in expectation.Sequences)
        {
            CheckObject("Sequence", ObjectLookup.InSchemas(actual.Sequences, sequence.Name!, s => s.Schema, s => s.Name, s => s.FullName), sequence.Properties);
        }

        foreach (var table in expectation.Tables)
        {
            CheckTable(table);
        }

        foreach (var view in expectation.Views)
        {
            CheckView(view);
        }

        foreach (var function in expectation.Functions)
        {
            CheckFunction(function);
        }

        CheckAbsence(expectation.Absent);
        return _results;
    }

    private void CheckTable(TableExpectation expected)
    {
        var lookup = ObjectLookup.InSchemas(actual.Tables, expected.Name, t => t.Schema, t => t.Name, t => t.FullName);
        Add($"Table {lookup.DisplayName} exists", Present, lookup.Item is null ? lookup.Problem : Present, lookup.Item is not null);

        var table = lookup.Item;
        var owner = lookup.DisplayName;
        var ownerProblem = lookup.Problem == Missing ? TableMissing : lookup.Problem;
        CheckProperties("Table", lookup, expected.Properties, ownerProblem);

        foreach (var column in expected.Columns)
        {
            CheckObject("Column", ObjectLookup.InTable(table?.Columns, owner, ownerProblem, column.Name!, c => c.Name), column.Properties);
        }

        foreach (var constraint in expected.Constraints)
        {
            CheckChild("Constraint", table?.Constraints, owner, ownerProblem, constraint, c => c.Name, Brief);
        }

        foreach (var index in expected.Indexes)
        {
            CheckChild("Index", table?.Indexes, owner, ownerProblem, index, i => i.Name, Brief);
        }

        foreach (var trigger in expected.Triggers)
        {
            CheckChild("Trigger", table?.Triggers, owner, ownerProblem, trigger, t => t.Name, Brief);
        }

        CheckAbsentChildren("Column", table?.Columns, owner, expected.Absent.Columns, c => c.Name);
        CheckAbsentChildren("Index", table?.Indexes, owner, expected.Absent.Indexes, i => i.Name);
        CheckAbsentChildren("Constraint", table?.Constraints, owner, expected.Absent.Constraints, c => c.Name);
        CheckAbsentChildren("Trigger", table?.Triggers, owner, expected.Absent.Triggers, t => t.Name);
    }

    private void CheckView(ViewExpectation expected)
    {
        var kind = expected.MustBeMaterialized ? Label("MaterializedView") : "View";
        var views = expected.MustBeMaterialized ? actual.Views.Where(v => v.Materialized) : actual.Views;
        var lookup = ObjectLookup.InSchemas(views, expected.Name, v => v.Schema, v => v.Name, v => v.FullName);
        var problem = lookup.Problem == Missing && expected.MustBeMaterialized && ObjectLookup.InSchemas(actual.Views, expected.Name, v => v.Schema, v => v.Name, v => v.FullName).Exists
            ? "<not materialized>"
            : lookup.Problem;
        Add($"{kind} {lookup.DisplayName} exists", Present, lookup.Item is null ? problem : Present, lookup.Item is not null);

        var ownerProblem = problem == Missing ? "<view missing>" : problem;
        CheckProperties(kind, lookup, expected.Properties, ownerProblem);
        foreach (var column in expected.Columns)
        {
            CheckObject("Column", ObjectLookup.InTable(lookup.Item?.Columns, lookup.DisplayName, ownerProblem, column.Name!, c => c.Name), column.Properties);
        }
    }

    /// <summary>Any overload that matches will do to exist; properties need exactly one.</summary>
    private void CheckFunction(ObjectExpectation<OmegaFunction> expected)
    {
        var reference = FunctionReference.TryParse(expected.Name!)!;
        var matches = actual.Functions.Where(reference.Matches).OrderBy(f => f.Signature, StringComparer.Ordinal).ToList();
        if (expected.Properties.Count == 0)
        {
            Add($"Function {expected.Name} exists", Present, matches.Count == 0 ? Missing : string.Join(", ", matches.Select(f => f.Signature)), matches.Count > 0);
            return;
        }

        var lookup = matches.Count switch
        {
            1 => new Lookup<OmegaFunction>(matches[0], matches[0].Signature, string.Empty),
            0 => new Lookup<OmegaFunction>(null, expected.Name!, Missing),
            _ => new Lookup<OmegaFunction>(null, expected.Name!, $"<ambiguous: {string.Join(", ", matches.Select(f => f.Signature))}>"),
        };
        CheckObject("Function", lookup, expected.Properties);
    }

    /// <summary>A named child is looked up; a described one passes when any child of the table has all its properties.</summary>
    private void CheckChild<T>(string kind, IReadOnlyList<T>? children, string owner, string ownerProblem, ObjectExpectation<T> expected,
        Func<T, string> nameOf, Func<T, string> brief) where T : class
    {
        if (expected.Name is not null)
        {
            CheckObject(kind, ObjectLookup.InTable(children, owner, ownerProblem, expected.Name, nameOf), expected.Properties);
            return;
        }

        var assertion = $"{kind} on {owner} with {expected.Summary} exists";
        if (children is null)
        {
            Add(assertion, expected.Summary, ownerProblem, false);
            return;
        }

        var matches = children.Where(expected.IsMetBy).ToList();
        var shown = matches.Count > 0 ? string.Join(", ", matches.Select(nameOf))
            : children.Count == 0 ? None
            : string.Join("; ", children.Select(brief));
        Add(assertion, expected.Summary, shown, matches.Count > 0);
    }

    /// <summary>With no properties the object must exist; with some, each is an assertion of its own.</summary>
    private void CheckObject<T>(string kind, Lookup<T> lookup, IReadOnlyList<PropertyExpectation<T>> properties) where T : class
    {
        if (properties.Count == 0)
        {
            Add($"{kind} {lookup.DisplayName} exists", Present, lookup.Item is null ? lookup.Problem : Present, lookup.Item is not null);
            return;
        }

        CheckProperties(kind, lookup, properties, lookup.Problem);
    }

    private void CheckProperties<T>(string kind, Lookup<T> lookup, IReadOnlyList<PropertyExpectation<T>> properties, string problem) where T : class
    {
        foreach (var property in properties)
        {
            Add($"{kind} {lookup.DisplayName} {property.Rule.Phrase(property.Value)}",
                Show(property.Value),
                lookup.Item is null ? problem : Show(property.Rule.Read(lookup.Item)),
                lookup.Item is not null && property.IsMetBy(lookup.Item));
        }
    }

    private void CheckAbsentChildren<T>(string kind, IReadOnlyList<T>? children, string owner, IReadOnlyList<string> names, Func<T, string> nameOf)
        where T : class
    {
        foreach (var name in names)
        {
            var lookup = ObjectLookup.InTable(children, owner, TableMissing, name, nameOf);
            AddAbsent(kind, lookup.DisplayName, lookup.Exists, children is null ? TableMissing : null);
        }
    }

    private void CheckAbsence(SchemaAbsence absent)
    {
        foreach (var name in absent.Schemas)
        {
            AddAbsent("Schema", FindSchema(name) ?? name, FindSchema(name) is not null);
        }

        foreach (var name in absent.Extensions)
        {
            AddAbsent("Extension", name, FindExtension(name).Exists);
        }

        AddAbsentInSchemas("Type", actual.Types, absent.Types, t => t.Schema, t => t.Name, t => t.FullName);
        AddAbsentInSchemas("Sequence", actual.Sequences, absent.Sequences, s => s.Schema, s => s.Name, s => s.FullName);
        AddAbsentInSchemas("Table", actual.Tables, absent.Tables, t => t.Schema, t => t.Name, t => t.FullName);
        AddAbsentInSchemas("View", actual.Views, absent.Views, v => v.Schema, v => v.Name, v => v.FullName);
        AddAbsentInSchemas(Label("MaterializedView"), actual.Views.Where(v => v.Materialized), absent.MaterializedViews, v => v.Schema, v => v.Name, v => v.FullName);

        foreach (var name in absent.Functions)
        {
            var reference = FunctionReference.TryParse(name)!;
            var matches = actual.Functions.Where(reference.Matches).Select(f => f.Signature).ToList();
            AddAbsent("Function", matches.Count == 1 ? matches[0] : name, matches.Count > 0);
        }

        AddAbsentUnderTables("Column", absent.Columns, t => t.Columns, c => c.Name);
        foreach (var name in absent.Indexes)
        {
            var found = FindIndex(name);
            AddAbsent("Index", found ?? name, found is not null);
        }

        AddAbsentUnderTables("Constraint", absent.Constraints, t => t.Constraints, c => c.Name);
        AddAbsentUnderTables("Trigger", absent.Triggers, t => t.Triggers, t => t.Name);
    }

    private void AddAbsentInSchemas<T>(string kind, IEnumerable<T> items, IReadOnlyList<string> names, Func<T, string> schemaOf, Func<T, string> nameOf, Func<T, string> display)
        where T : class
    {
        foreach (var name in names)
        {
            var lookup = ObjectLookup.InSchemas(items, name, schemaOf, nameOf, display);
            AddAbsent(kind, lookup.DisplayName, lookup.Exists);
        }
    }

    /// <summary><c>table.name</c> or <c>schema.table.name</c>.</summary>
    private void AddAbsentUnderTables<T>(string kind, IReadOnlyList<string> names, Func<OmegaTable, IReadOnlyList<T>> childrenOf, Func<T, string> nameOf)
        where T : class
    {
        foreach (var name in names)
        {
            var dot = LastSeparator(name);
            var tableName = name[..dot];
            var childName = name[(dot + 1)..];
            var table = ObjectLookup.InSchemas(actual.Tables, tableName, t => t.Schema, t => t.Name, t => t.FullName);
            var lookup = ObjectLookup.InTable(table.Item is null ? null : childrenOf(table.Item), table.DisplayName, TableMissing, childName, nameOf);
            AddAbsent(kind, lookup.DisplayName, lookup.Exists, table.Item is null ? TableMissing : null);
        }
    }

    /// <summary>An index by its name, <c>schema.index</c> or <c>table.index</c>, or <c>schema.table.index</c>, among tables and materialized views.</summary>
    private string? FindIndex(string name)
    {
        var parts = QualifiedName.Split(name);
        var owners = actual.Tables.Select(t => (t.Schema, t.Name, t.FullName, t.Indexes))
            .Concat(actual.Views.Select(v => (v.Schema, v.Name, v.FullName, v.Indexes)));
        foreach (var (schema, table, fullName, indexes) in owners)
        {
            var ownerMatches = parts.Count switch
            {
                1 => true,
                2 => parts[0].Matches(schema) || parts[0].Matches(table),
                _ => parts[^3].Matches(schema) && parts[^2].Matches(table),
            };
            var index = ownerMatches ? indexes.FirstOrDefault(i => parts[^1].Matches(i.Name)) : null;
            if (index is not null)
            {
                return fullName + "." + index.Name;
            }
        }

        return null;
    }

    private string? FindSchema(string name)
    {
        var part = QualifiedName.Split(name)[^1];
        return actual.Schemas.FirstOrDefault(part.MatchesExactly) ?? actual.Schemas.FirstOrDefault(part.Matches);
    }

    private Lookup<OmegaExtension> FindExtension(string name) =>
        ObjectLookup.InSchemas(actual.Extensions, name, e => e.Schema, e => e.Name, e => e.Name);

    private void AddAbsent(string kind, string name, bool exists, string? why = null) =>
        Add($"{kind} {name} is absent", Absent, exists ? Present : why ?? Absent, !exists);

    private void Add(string assertion, string? expected, string? actualValue, bool passed) => _results.Add(new OmegaSchemaTestResult
    {
        Target = target, Assertion = assertion, Expected = expected, Actual = actualValue, Passed = passed,
    });

    private static int LastSeparator(string name)
    {
        var inQuotes = false;
        var last = -1;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (name[i] == '.' && !inQuotes)
            {
                last = i;
            }
        }

        return last;
    }

    private static string Brief(OmegaIndex index) =>
        $"{index.Name} ({(index.Unique ? "unique " : string.Empty)}{index.Method}: {string.Join(", ", index.Columns)}"
        + (index.Where is null ? string.Empty : $" WHERE {index.Where}") + ")";

    private static string Brief(OmegaConstraint constraint) =>
        constraint.Definition.Length > 0 ? $"{constraint.Name} ({constraint.Definition})" : $"{constraint.Name} ({constraint.Type}: {string.Join(", ", constraint.Columns)})";

    private static string Brief(OmegaTrigger trigger) => $"{trigger.Name} ({trigger.Timing} {string.Join(", ", trigger.Events)} {trigger.Function})";
}
