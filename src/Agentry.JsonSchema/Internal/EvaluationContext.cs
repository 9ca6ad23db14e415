using System.Globalization;
using System.Text.Json;

namespace Agentry.JsonSchema.Internal;

/// <summary>
/// Mutable state of one validation run: the instance location, the error sink, the dynamic scope and the guards
/// against runaway recursion. One per <see cref="CompiledSchema.Validate"/> call, never shared between threads.
/// </summary>
internal sealed class EvaluationContext(int maxDepth, TimeSpan regexTimeout)
{
    private readonly List<(SchemaNode Node, int PathLength)> _active = [];
    private readonly List<SchemaResource> _scope = [];
    private PathSegment[] _path = new PathSegment[16];
    private int _pathLength;
    private int _depth;
    private int _regexTimeouts;

    /// <summary>Each timeout is bounded, but thousands of them would not be: the run stops after this many.</summary>
    public const int MaxRegexTimeouts = 3;

    /// <summary>Where errors go; null while evaluating a branch whose errors nobody will see (e.g. inside <c>not</c>).</summary>
    public List<SchemaError>? Errors { get; set; }

    public int MaxDepth { get; } = maxDepth;

    public TimeSpan RegexTimeout { get; } = regexTimeout;

    public IReadOnlyList<SchemaResource> DynamicScope => _scope;

    public bool Evaluate(SchemaNode node, JsonElement instance, Annotations? parent)
    {
        if (node.Boolean is bool b)
        {
            if (!b)
            {
                Report(node.FalseKeyword, node.Location, node.FalseKeyword == "false" ? "no value is allowed here (the schema is false)" : "is not allowed");
            }

            return b;
        }

        if (++_depth > MaxDepth)
        {
            throw new EvaluationLimitException("depth", $"evaluation nests deeper than the limit of {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels (the instance or the schema's recursion is too deep)");
        }

        // A schema re-entered at the same instance location without consuming anything would loop forever.
        for (var i = _active.Count - 1; i >= 0 && _active[i].PathLength == _pathLength; i--)
        {
            if (ReferenceEquals(_active[i].Node, node))
            {
                throw new EvaluationLimitException("$ref", $"the schema at {node.Location} refers back to itself (a $ref cycle) without consuming any of the instance");
            }
        }

        _active.Add((node, _pathLength));
        var pushedScope = _scope.Count == 0 || !ReferenceEquals(_scope[^1], node.Resource);
        if (pushedScope)
        {
            _scope.Add(node.Resource);
        }

        var local = parent is not null || node.NeedsAnnotations ? new Annotations() : null;
        var valid = true;
        foreach (var keyword in node.Keywords)
        {
            if (!keyword.Evaluate(instance, this, local))
            {
                valid = false;
                if (Errors is null)
                {
                    break; // nobody sees further errors and a failed schema's annotations are dropped anyway
                }
            }
        }

        if (valid && parent is not null)
        {
            parent.Merge(local!);
        }

        if (pushedScope)
        {
            _scope.RemoveAt(_scope.Count - 1);
        }

        _active.RemoveAt(_active.Count - 1);
        _depth--;
        return valid;
    }

    public void RegexTimedOut()
    {
        if (++_regexTimeouts >= MaxRegexTimeouts)
        {
            throw new EvaluationLimitException("pattern", $"validation stopped: regular expressions timed out {MaxRegexTimeouts.ToString(CultureInfo.InvariantCulture)} times on this instance (each limited to {RegexTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)");
        }
    }

    public void PushProperty(string name) => Push(new PathSegment(name, 0));

    public void PushIndex(int index) => Push(new PathSegment(null, index));

    public void Pop() => _pathLength--;

    private void Push(PathSegment segment)
    {
        if (_pathLength == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
        }

        _path[_pathLength++] = segment;
    }

    public string CurrentPath => JsonPointer.Render(_path.AsSpan(0, _pathLength));

    public void Report(string keyword, string schemaPath, string message) =>
        Errors?.Add(new SchemaError(CurrentPath, keyword, schemaPath, message));

    public void Report(Keyword keyword, string message) => Report(keyword.Name, keyword.SchemaPath, message);

    /// <summary>Reports at a child location (e.g. the missing property of <c>required</c>).</summary>
    public void ReportAtProperty(Keyword keyword, string property, string message)
    {
        if (Errors is null)
        {
            return;
        }

        PushProperty(property);
        Report(keyword, message);
        Pop();
    }

    /// <summary>Evaluates collecting its errors apart, so the caller can summarise them.</summary>
    public bool EvaluateIsolated(SchemaNode node, JsonElement instance, Annotations? annotations, out List<SchemaError>? errors)
    {
        var saved = Errors;
        errors = saved is null ? null : [];
        Errors = errors;
        var valid = Evaluate(node, instance, annotations);
        Errors = saved;
        return valid;
    }

    /// <summary>Evaluates with errors switched off (for <c>not</c>, <c>if</c>, <c>contains</c>).</summary>
    public bool EvaluateSilently(SchemaNode node, JsonElement instance, Annotations? annotations)
    {
        var saved = Errors;
        Errors = null;
        var valid = Evaluate(node, instance, annotations);
        Errors = saved;
        return valid;
    }
}
