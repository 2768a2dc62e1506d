namespace OmegaDb.Data;

/// <summary>
/// The order to fill tables in so that every foreign key finds its parent rows already there:
/// the strongly connected components of the foreign-key graph (Tarjan), parents first. A
/// component of more than one table is a cycle between tables, which no order can satisfy.
/// Self-references need no order: the destination checks them at the end of each COPY.
/// </summary>
internal static class CopyOrder
{
    /// <summary>Groups of tables, parents before children; a group of several tables is a cycle.</summary>
    public static IReadOnlyList<IReadOnlyList<CopyTable>> Of(IReadOnlyList<CopyTable> tables, IEnumerable<ForeignKeyEdge> foreignKeys)
    {
        var selected = tables.ToDictionary(t => t.Oid);
        var parents = tables.ToDictionary(t => t.Oid, _ => new SortedSet<string>(StringComparer.Ordinal));
        var byName = tables.ToDictionary(t => t.FullName, StringComparer.Ordinal);
        foreach (var edge in foreignKeys)
        {
            if (!edge.IsSelfReference && selected.ContainsKey(edge.Child) && selected.TryGetValue(edge.Parent, out var parent))
            {
                parents[edge.Child].Add(parent.FullName);
            }
        }

        var state = new Tarjan(name => parents[byName[name].Oid], byName);
        foreach (var table in tables.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            state.Visit(table.FullName);
        }

        return state.Components;
    }

    private sealed class Tarjan(Func<string, IEnumerable<string>> parentsOf, IReadOnlyDictionary<string, CopyTable> byName)
    {
        private readonly Dictionary<string, (int Index, int Low)> _marks = new(StringComparer.Ordinal);
        private readonly Stack<string> _stack = new();
        private readonly HashSet<string> _onStack = new(StringComparer.Ordinal);

        public List<IReadOnlyList<CopyTable>> Components { get; } = [];

        // Iterative, so that a chain of thousands of tables cannot overflow the stack.
        public void Visit(string root)
        {
            if (_marks.ContainsKey(root))
            {
                return;
            }

            var work = new Stack<(string Node, IEnumerator<string> Parents)>();
            Enter(root);
            work.Push((root, parentsOf(root).GetEnumerator()));
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var parent = next.Current;
                    if (!_marks.ContainsKey(parent))
                    {
                        Enter(parent);
                        work.Push((parent, parentsOf(parent).GetEnumerator()));
                    }
                    else if (_onStack.Contains(parent))
                    {
                        Lower(node, _marks[parent].Index);
                    }

                    continue;
                }

                work.Pop();
                if (work.Count > 0)
                {
                    Lower(work.Peek().Node, _marks[node].Low);
                }

                if (_marks[node].Low == _marks[node].Index)
                {
                    var component = new List<CopyTable>();
                    string member;
                    do
                    {
                        member = _stack.Pop();
                        _onStack.Remove(member);
                        component.Add(byName[member]);
                    }
                    while (member != node);

                    component.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
                    Components.Add(component);
                }
            }
        }

        private void Enter(string node)
        {
            var index = _marks.Count;
            _marks[node] = (index, index);
            _stack.Push(node);
            _onStack.Add(node);
        }

        private void Lower(string node, int value)
        {
            var mark = _marks[node];
            if (value < mark.Low)
            {
                _marks[node] = (mark.Index, value);
            }
        }
    }
}
