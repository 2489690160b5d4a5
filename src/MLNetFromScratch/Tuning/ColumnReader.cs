using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tuning;

/// <summary>Reads one scalar column of any type as invariant text, in row order.</summary>
internal static class ColumnReader
{
    private static readonly MethodInfo s_read = typeof(ColumnReader).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static string[] ReadAsText(IDataView data, string columnName, string paramName)
    {
        DataViewSchema.Column column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException($"Column '{columnName}' is not in the data.", paramName);
        if (column.Type is VectorDataViewType)
            throw new ArgumentException($"Column '{columnName}' is a vector ({column.Type}); it must be a scalar to define folds.", paramName);

        return (string[])s_read.MakeGenericMethod(column.Type.RawType).Invoke(null, [data, column])!;
    }

    public static long CountRows(IDataView data)
    {
        long? known = data.GetRowCount();
        if (known is { } count)
            return count;
        long rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            rows++;
        return rows;
    }

    private static string[] Read<T>(IDataView data, DataViewSchema.Column column)
    {
        var values = new List<string>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value switch
            {
                ReadOnlyMemory<char> text => text.ToString(),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value?.ToString() ?? string.Empty,
            });
        }

        return [.. values];
    }
}
