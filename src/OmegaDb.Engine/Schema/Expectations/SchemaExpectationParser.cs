namespace OmegaDb.Schema.Expectations;

/// <summary>
/// Builds a <see cref="SchemaExpectation"/> from the tree. Every key is checked against the
/// keys allowed at its place, every value against the shape its key takes, and every value
/// from a fixed set (a constraint's Type, a trigger's Timing...) against that set.
/// </summary>
internal static class SchemaExpectationParser
{
    private static readonly string[] RootKeys =
        ["Schemas", "Extensions", "Types", "Sequences", "Tables", "Views", "MaterializedViews", "Functions", "Absent"];

    private static readonly string[] TableChildKeys = ["Columns", "Constraints", "Indexes", "Triggers", "Absent"];

    private static readonly string[] TableAbsentKeys = ["Columns", "Indexes", "Constraints", "Triggers"];

    private static readonly string[] RootAbsentKeys =
        ["Schemas", "Extensions", "Types", "Sequences", "Tables", "Views", "MaterializedViews", "Functions", "Columns", "Indexes", "Constraints", "Triggers"];

    public static SchemaExpectation Parse(object? tree)
    {
        var root = new ExpectationNode(tree, string.Empty).Map("a schema expectation", RootKeys);
        return new SchemaExpectation
        {
            Schemas = Names(root.Get("Schemas"), "a schema name"),
            Extensions = NamedObjects(root.Get("Extensions"), "extension", PropertyRules.Extension,
                version => [new(PropertyRules.Extension[0], version.Text("an extension's version"))]),
            Types = NamedObjects(root.Get("Types"), "type", PropertyRules.Type,
                labels => [new(PropertyRules.Type.Single(r => r.Key == "Values"), Names(labels, "an enum label"))]),
            Sequences = NamedObjects(root.Get("Sequences"), "sequence", PropertyRules.Sequence),
            Tables = Tables(root.Get("Tables")),
            Views = [.. Views(root.Get("Views"), materialized: false), .. Views(root.Get("MaterializedViews"), materialized: true)],
            Functions = NamedObjects(root.Get("Functions"), "function", PropertyRules.Function, validateName: ValidateFunction),
            Absent = RootAbsence(root.Get("Absent")),
        };
    }

    private static List<TableExpectation> Tables(ExpectationNode? node)
    {
        if (node is not { } tables || tables.IsNull)
        {
            return [];
        }

        if (!tables.IsMap)
        {
            return Names(tables, "a table name").Select(name => Table(name, new ExpectationNode(null, tables.Path))).ToList();
        }

        return tables.NamedEntries("tables").Select(entry => Table(entry.Name, entry.Value)).ToList();
    }

    private static TableExpectation Table(string name, ExpectationNode node)
    {
        if (node.IsNull)
        {
            return new TableExpectation(name, [], [], [], [], [], TableAbsence.None);
        }

        var map = node.Map("a table expectation", [.. TableChildKeys, .. PropertyRules.Keys(PropertyRules.Table)]);
        return new TableExpectation(
            name,
            Properties(map, PropertyRules.Table),
            Columns(map.Get("Columns")),
            Described(map.Get("Constraints"), "a constraint", PropertyRules.Constraint),
            Described(map.Get("Indexes"), "an index", PropertyRules.Index),
            Described(map.Get("Triggers"), "a trigger", PropertyRules.Trigger),
            Absence(map.Get("Absent")));
    }

    /// <summary>Columns: names, or name -> type, or name -> column properties.</summary>
    private static List<ObjectExpectation<OmegaColumn>> Columns(ExpectationNode? node) =>
        NamedObjects(node, "column", PropertyRules.Column,
            type => [new(PropertyRules.Column[0], type.Text("a column's type"))]);

    private static List<ViewExpectation> Views(ExpectationNode? node, bool materialized)
    {
        if (node is not { } views || views.IsNull)
        {
            return [];
        }

        if (!views.IsMap)
        {
            return Names(views, "a view name").Select(name => new ViewExpectation(name, materialized, [], [])).ToList();
        }

        return views.NamedEntries("views").Select(entry =>
        {
            if (entry.Value.IsNull)
            {
                return new ViewExpectation(entry.Name, materialized, [], []);
            }

            var map = entry.Value.Map("a view expectation", ["Columns", .. PropertyRules.Keys(PropertyRules.View)]);
            return new ViewExpectation(entry.Name, materialized, Properties(map, PropertyRules.View), Columns(map.Get("Columns")));
        }).ToList();
    }

    /// <summary>
    /// A hashtable of name -> $null, properties, or the kind's shorthand (a column's type, an
    /// enum's labels, an extension's version); or just names.
    /// </summary>
    private static List<ObjectExpectation<T>> NamedObjects<T>(ExpectationNode? node, string what, IReadOnlyList<PropertyRule<T>> rules,
        Func<ExpectationNode, IReadOnlyList<PropertyExpectation<T>>>? shorthand = null, Action<ExpectationNode, string>? validateName = null)
    {
        if (node is not { } objects || objects.IsNull)
        {
            return [];
        }

        if (!objects.IsMap)
        {
            return objects.Items().Select(item =>
            {
                var name = item.Text($"a {what} name");
                validateName?.Invoke(item, name);
                return new ObjectExpectation<T>(name, []);
            }).ToList();
        }

        return objects.NamedEntries($"{what}s").Select(entry =>
        {
            validateName?.Invoke(entry.Value, entry.Name);
            var properties = entry.Value switch
            {
                { IsNull: true } => [],
                { IsMap: true } => Properties(entry.Value.Map($"the properties of a {what}", PropertyRules.Keys(rules)), rules),
                _ when shorthand is not null => shorthand(entry.Value),
                _ => throw entry.Value.Error($"expected $null or a hashtable with the keys {string.Join(", ", PropertyRules.Keys(rules))}; got {ExpectationNode.Describe(entry.Value.Value)}."),
            };
            return new ObjectExpectation<T>(entry.Name, properties);
        }).ToList();
    }

    /// <summary>Indexes, constraints, triggers: names, or hashtables with a Name and/or properties.</summary>
    private static List<ObjectExpectation<T>> Described<T>(ExpectationNode? node, string what, IReadOnlyList<PropertyRule<T>> rules)
    {
        if (node is not { } objects || objects.IsNull)
        {
            return [];
        }

        return objects.Items().Select(item =>
        {
            if (!item.IsMap)
            {
                return new ObjectExpectation<T>(item.Text($"{what} name"), []);
            }

            var map = item.Map(what, ["Name", .. PropertyRules.Keys(rules)]);
            var name = map.Get("Name")?.Text($"{what}'s Name");
            var properties = Properties(map, rules);
            if (name is null && properties.Count == 0)
            {
                throw item.Error($"give {what}'s Name or at least one of {string.Join(", ", PropertyRules.Keys(rules))}.");
            }

            return new ObjectExpectation<T>(name, properties);
        }).ToList();
    }

    /// <summary>The rules' keys present in the map, in the rules' order.</summary>
    private static List<PropertyExpectation<T>> Properties<T>(ExpectationMap map, IReadOnlyList<PropertyRule<T>> rules) =>
        rules.Where(rule => map.Has(rule.Key)).Select(rule => new PropertyExpectation<T>(rule, Value(rule, map.Get(rule.Key)!.Value))).ToList();

    private static object? Value<T>(PropertyRule<T> rule, ExpectationNode node)
    {
        object? value = rule.Shape switch
        {
            ValueShape.Text => node.Text(rule.Key),
            ValueShape.OptionalText => node.OptionalText(rule.Key),
            ValueShape.Flag => node.Flag(rule.Key),
            ValueShape.Integer => node.Integer(rule.Key),
            _ => node.TextList(rule.Key),
        };

        if (rule.AllowedValues.Count == 0)
        {
            return value;
        }

        return value switch
        {
            string text => Allowed(rule, node, text),
            IReadOnlyList<string> items => items.Select(item => Allowed(rule, node, item)).ToList(),
            _ => value,
        };
    }

    /// <summary>The canonical spelling of a value from a fixed set: <c>foreign key</c> is ForeignKey.</summary>
    private static string Allowed<T>(PropertyRule<T> rule, ExpectationNode node, string value)
    {
        static string Squash(string s) => new string(s.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return rule.AllowedValues.FirstOrDefault(allowed => Squash(allowed) == Squash(value))
            ?? throw node.Error($"'{value}' is not a valid {rule.Key}. Allowed values: {string.Join(", ", rule.AllowedValues)}.");
    }

    private static TableAbsence Absence(ExpectationNode? node)
    {
        if (node is not { } absent || absent.IsNull)
        {
            return TableAbsence.None;
        }

        var map = absent.Map("the table's Absent section", TableAbsentKeys);
        return new TableAbsence(
            Names(map.Get("Columns"), "a column name"),
            Names(map.Get("Indexes"), "an index name"),
            Names(map.Get("Constraints"), "a constraint name"),
            Names(map.Get("Triggers"), "a trigger name"));
    }

    private static SchemaAbsence RootAbsence(ExpectationNode? node)
    {
        if (node is not { } absent || absent.IsNull)
        {
            return SchemaAbsence.None;
        }

        var map = absent.Map("the Absent section", RootAbsentKeys);
        return new SchemaAbsence(
            Names(map.Get("Schemas"), "a schema name"),
            Names(map.Get("Extensions"), "an extension name"),
            Names(map.Get("Types"), "a type name"),
            Names(map.Get("Sequences"), "a sequence name"),
            Names(map.Get("Tables"), "a table name"),
            Names(map.Get("Views"), "a view name"),
            Names(map.Get("MaterializedViews"), "a materialized view name"),
            Names(map.Get("Functions"), "a function name", ValidateFunction),
            Names(map.Get("Columns"), "a column as table.column", ValidateUnderTable),
            Names(map.Get("Indexes"), "an index name"),
            Names(map.Get("Constraints"), "a constraint as table.constraint", ValidateUnderTable),
            Names(map.Get("Triggers"), "a trigger as table.trigger", ValidateUnderTable));
    }

    private static List<string> Names(ExpectationNode? node, string what, Action<ExpectationNode, string>? validate = null)
    {
        if (node is not { } names || names.IsNull)
        {
            return [];
        }

        return names.Items().Select(item =>
        {
            var name = item.Text(what);
            validate?.Invoke(item, name);
            return name;
        }).ToList();
    }

    private static void ValidateUnderTable(ExpectationNode node, string name)
    {
        if (QualifiedName.Split(name).Count < 2)
        {
            throw node.Error($"'{name}' must name its table: table.name or schema.table.name.");
        }
    }

    private static void ValidateFunction(ExpectationNode node, string name)
    {
        if (FunctionReference.TryParse(name) is null)
        {
            throw node.Error($"'{name}' is not a function name: use name, schema.name, name(argument types) or schema.name(argument types).");
        }
    }
}
