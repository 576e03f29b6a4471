using System.Collections;
using System.Text.Json;

namespace Agents.Budget;

/// <summary>Counts the units of one call from its arguments.</summary>
internal static class UnitCounting
{
    /// <summary>Returns the units, or 0 with <paramref name="error"/> set to a text the model can act on.</summary>
    public static int Count(ResolvedTool tool, IReadOnlyDictionary<string, object?>? arguments, out string? error)
    {
        error = null;
        if (tool.UnitCounter is { } counter)
        {
            int units;
            try
            {
                units = counter(arguments ?? EmptyArguments.Instance);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = string.Format(CultureInfo.InvariantCulture, "Budget error: the arguments of '{0}' could not be counted ({1}). Check the arguments and call it again.", tool.DisplayName, ex.Message);
                return 0;
            }

            if (units < 1)
            {
                error = string.Format(CultureInfo.InvariantCulture, "Budget error: the arguments of '{0}' amount to {1} {2} units; a call must use at least 1. Check the arguments and call it again.", tool.DisplayName, units, tool.Category.Name);
                return 0;
            }

            return units;
        }

        if (tool.UnitsArgument is not { } name)
        {
            return 1;
        }

        if (arguments is null || !arguments.TryGetValue(name, out object? value) || value is null)
        {
            error = string.Format(CultureInfo.InvariantCulture, "Budget error: '{0}' was called without its '{1}' argument, which must be an array (each item costs one {2} unit). The call was not executed; call it again with '{1}' as an array.", tool.DisplayName, name, tool.Category.Name);
            return 0;
        }

        int? count = CountItems(value);
        if (count is null)
        {
            error = string.Format(CultureInfo.InvariantCulture, "Budget error: the '{1}' argument of '{0}' must be an array (each item costs one {2} unit). The call was not executed; call it again with '{1}' as an array.", tool.DisplayName, name, tool.Category.Name);
            return 0;
        }

        if (count == 0)
        {
            error = string.Format(CultureInfo.InvariantCulture, "Budget error: the '{1}' array of '{0}' is empty. The call was not executed; pass at least one item.", tool.DisplayName, name);
            return 0;
        }

        return count.Value;
    }

    private static int? CountItems(object value)
    {
        switch (value)
        {
            case JsonElement element:
                return element.ValueKind switch
                {
                    JsonValueKind.Array => element.GetArrayLength(),
                    JsonValueKind.String => CountJsonArrayText(element.GetString()),
                    _ => null,
                };
            case string text:
                return CountJsonArrayText(text);
            case ICollection collection:
                return collection.Count;
            case IEnumerable enumerable:
                int n = 0;
                foreach (object? _ in enumerable)
                {
                    n++;
                }

                return n;
            default:
                return null;
        }
    }

    private static int? CountJsonArrayText(string? text)
    {
        if (text is null)
        {
            return null;
        }

        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || trimmed[0] != '[')
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class EmptyArguments : IReadOnlyDictionary<string, object?>
    {
        public static readonly EmptyArguments Instance = new();

        public object? this[string key] => throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => [];

        public IEnumerable<object?> Values => [];

        public int Count => 0;

        public bool ContainsKey(string key) => false;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, object?>>().GetEnumerator();

        public bool TryGetValue(string key, out object? value)
        {
            value = null;
            return false;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
