using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>Reads columns of a data view as raw bits, for bit-identical comparisons.</summary>
internal static class ColumnBits
{
    /// <summary>Every value of a Single or vector-of-Single column, as the bits of each float, row after row.</summary>
    public static int[] Singles(IDataView data, string columnName)
    {
        DataViewSchema.Column column = data.Schema[columnName];
        var bits = new List<int>();
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                foreach (float x in value.DenseValues())
                {
                    bits.Add(BitConverter.SingleToInt32Bits(x));
                }
            }
        }
        else
        {
            ValueGetter<float> getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                bits.Add(BitConverter.SingleToInt32Bits(value));
            }
        }

        return [.. bits];
    }

    /// <summary>The raw key numbers of a key column (0 = missing).</summary>
    public static uint[] Keys(IDataView data, string columnName)
    {
        DataViewSchema.Column column = data.Schema[columnName];
        var keys = new List<uint>();
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
        uint value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            keys.Add(value);
        }

        return [.. keys];
    }

    /// <summary>The key values (class names) of a key column, as text.</summary>
    public static string[] KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetKeyValues(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }
}
