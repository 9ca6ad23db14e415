using System.Text;
using System.Text.Json;
using Agentry.Core.Common;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Agentry.Core.Tools;

/// <summary>The answer of <c>codeInterpreter</c>: the script's completion value as JSON, and what it printed.</summary>
/// <param name="Value">The value of the last expression, as JSON (null for <c>undefined</c>); values JSON cannot hold are given as their string form.</param>
/// <param name="Console">What <c>console.log</c> (and <c>info</c>, <c>warn</c>, <c>error</c>, <c>debug</c>) printed, one call a line.</param>
/// <param name="Truncated">Whether the value or the console output was cut to the configured length.</param>
public sealed record CodeInterpreterResult(JsonElement? Value, string Console, bool Truncated);

/// <summary>
/// Runs JavaScript in a fresh Jint engine per call: no CLR access (interop is never enabled), no I/O (Jint has no
/// file, network or timer APIs of its own and none are added), and limits on time, allocated memory, statements and
/// call depth. A limit that is hit is reported as a <see cref="ToolException"/> naming it.
/// </summary>
public sealed class CodeInterpreter
{
    private readonly CodeInterpreterOptions _options;

    public CodeInterpreter(CodeInterpreterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Runs <paramref name="code"/>; a cancelled <paramref name="cancellationToken"/> stops it between statements.</summary>
    public CodeInterpreterResult Run(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        cancellationToken.ThrowIfCancellationRequested();

        var console = new BoundedText(_options.MaxOutputChars);
        var timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        var engine = new Engine(options => options
            .TimeoutInterval(timeout)
            .LimitMemory(_options.MemoryLimitMb * 1024L * 1024L)
            .MaxStatements(_options.MaxStatements)
            .LimitRecursion(_options.MaxRecursionDepth)
            .CancellationToken(cancellationToken));
        engine.SetValue("console", CreateConsole(engine, console));

        JsValue completion;
        try
        {
            completion = engine.Evaluate(code);
        }
        catch (ExecutionCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The script was stopped because the run was cancelled.", exception, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new ToolException($"The script ran past the time limit of {_options.TimeoutSeconds} s and was stopped.{Printed(console)}", exception);
        }
        catch (StatementsCountOverflowException exception)
        {
            throw new ToolException($"The script executed more than the limit of {_options.MaxStatements:N0} statements and was stopped.{Printed(console)}", exception);
        }
        catch (MemoryLimitExceededException exception)
        {
            throw new ToolException($"The script allocated more than the memory limit of {_options.MemoryLimitMb} MB and was stopped.{Printed(console)}", exception);
        }
        catch (RecursionDepthOverflowException exception)
        {
            throw new ToolException($"The script went deeper than the recursion limit of {_options.MaxRecursionDepth} nested calls and was stopped.{Printed(console)}", exception);
        }
        catch (JavaScriptException exception)
        {
            // Syntax errors arrive here too, as a SyntaxError; naming the error type tells the model which it was.
            var location = exception.Location.Start.Line > 0 ? $" (line {exception.Location.Start.Line}, column {exception.Location.Start.Column + 1})" : string.Empty;
            throw new ToolException($"{ErrorName(exception.Error)}: {exception.Message}{location}{Printed(console)}", exception);
        }

        var (value, valueTruncated) = ToJson(engine, completion);
        return new CodeInterpreterResult(value, console.ToString(), valueTruncated || console.Truncated);
    }

    private static string Printed(BoundedText console) =>
        console.Length == 0 ? string.Empty : $" Console output before the stop:\n{console}";

    private static string ErrorName(JsValue error) =>
        error is ObjectInstance instance && instance.Get("name") is JsString name ? name.ToString() : "Error";

    private static JsObject CreateConsole(Engine engine, BoundedText output)
    {
        var console = new JsObject(engine);
        foreach (var name in (string[])["log", "info", "warn", "error", "debug"])
        {
            console.Set(name, new ClrFunction(engine, name, (_, arguments) =>
            {
                output.AppendLine(string.Join(' ', arguments.Select(argument => Format(engine, argument))));
                return JsValue.Undefined;
            }));
        }

        return console;
    }

    // As a browser console prints: strings as they are, objects and arrays as JSON, everything else in its JS form.
    private static string Format(Engine engine, JsValue value)
    {
        if (value is JsString text)
        {
            return text.ToString();
        }

        if (value is ObjectInstance and not Function && TryStringify(engine, value) is { } json)
        {
            return json;
        }

        return value.ToString();
    }

    private static string? TryStringify(Engine engine, JsValue value)
    {
        try
        {
            return new Jint.Native.Json.JsonSerializer(engine).Serialize(value) is JsString json ? json.ToString() : null;
        }
        catch (JavaScriptException)
        {
            // Cycles and BigInts cannot be JSON; the caller falls back to the value's string form.
            return null;
        }
    }

    private (JsonElement? Value, bool Truncated) ToJson(Engine engine, JsValue completion)
    {
        if (completion.IsUndefined())
        {
            return (null, false);
        }

        var json = completion is Function ? null : TryStringify(engine, completion);
        if (json is null)
        {
            return (AgentryJson.ToElement(completion.ToString()), false);
        }

        if (json.Length > _options.MaxOutputChars)
        {
            var cut = $"{json[.._options.MaxOutputChars]}… [truncated: the value's JSON has {json.Length:N0} characters]";
            return (AgentryJson.ToElement(cut), true);
        }

        using var document = JsonDocument.Parse(json);
        return (document.RootElement.Clone(), false);
    }

    /// <summary>Text that stops growing at a bound and remembers that it did.</summary>
    private sealed class BoundedText(int maxChars)
    {
        private readonly StringBuilder _text = new();

        public bool Truncated { get; private set; }

        public int Length => _text.Length;

        public void AppendLine(string line)
        {
            if (Truncated)
            {
                return;
            }

            var room = maxChars - _text.Length;
            if (line.Length + 1 <= room)
            {
                _text.Append(line).Append('\n');
                return;
            }

            _text.Append(line.AsSpan(0, Math.Max(0, room))).Append("\n… [console output truncated]");
            Truncated = true;
        }

        public override string ToString() => _text.ToString();
    }
}
