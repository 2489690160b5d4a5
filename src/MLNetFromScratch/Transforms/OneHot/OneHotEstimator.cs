using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Preprocessing;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// Learns the categories of a key or whole-number column and one-hot encodes it: category i of k becomes e_i,
/// a known-size vector of k Singles with 1 in slot i (the tutorial's <c>np.eye(k)[y]</c>).
/// </summary>
/// <remarks>
/// <para>A key column (raw type UInt32, as <c>MapValueToKey</c> makes) needs no pass over the data: k is its key
/// count and key j is slot j − 1. A number column (Single, Double, any integer type; Boolean as 0/1) is read
/// once: its categories are the distinct values seen, sorted ascending, so slot i is the i-th smallest (as
/// ML.NET's <c>MapValueToKey</c> with <c>KeyOrdinality.ByValue</c> orders them; digits 0..9 give slots 0..9).
/// Every value must be a whole number of magnitude at most 2^53; NaN is missing and not a category.</para>
/// <para>An unseen value, a key outside 1..k, the missing key 0 and NaN map to the zero vector, or throw
/// <see cref="InvalidDataException"/> naming the column and the value when
/// <see cref="OneHotOptions.TreatUnknownAsError"/> is set. At most <c>65536</c> categories.</para>
/// <para>Unlike ML.NET's <c>OneHotEncoding</c>, the output carries no slot names: a custom mapping's output
/// has no annotations, and no public saveable transform was found that attaches them.</para>
/// </remarks>
public sealed class OneHotEstimator : IEstimator<OneHotTransformer>
{
    private const string Component = "OneHot";

    private static readonly IPaddedVectorStage[] s_keyTiers =
    [
        new OneHotKeyVector4(), new OneHotKeyVector16(), new OneHotKeyVector64(), new OneHotKeyVector256(),
        new OneHotKeyVector1024(), new OneHotKeyVector4096(), new OneHotKeyVector16384(), new OneHotKeyVector65536(),
    ];

    private static readonly IPaddedVectorStage[] s_numberTiers =
    [
        new OneHotNumberVector4(), new OneHotNumberVector16(), new OneHotNumberVector64(), new OneHotNumberVector256(),
        new OneHotNumberVector1024(), new OneHotNumberVector4096(), new OneHotNumberVector16384(), new OneHotNumberVector65536(),
    ];

    private readonly TransformsCatalog _transforms;
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly bool _treatUnknownAsError;

    internal OneHotEstimator(TransformsCatalog transforms, OneHotOptions options)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputColumnName, nameof(options.OutputColumnName));
        _transforms = transforms;
        _outputColumnName = options.OutputColumnName;
        _inputColumnName = options.InputColumnName ?? options.OutputColumnName;
        _treatUnknownAsError = options.TreatUnknownAsError;
    }

    /// <summary>Learns k (and the categories of a number column, reading it once) on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, of an unsupported type, or a key of more than 65536 values.</exception>
    /// <exception cref="InvalidDataException">A value is not a whole number, NaN while unknown values are errors, or there are no or too many categories.</exception>
    public OneHotTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        StateColumns.CheckNoReservedColumns(input.Schema, Component);
        DataViewSchema.Column column = input.Schema.GetColumnOrNull(_inputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(input), $"{Component}: input column '{_inputColumnName}' not found.");

        OneHotParameters parameters;
        if (column.Type is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint) || key.Count > (ulong)PaddedVectorTiers.MaxLength)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(input), $"{Component}: input column '{_inputColumnName}' is {column.Type}; a key column must be of raw type UInt32 with at most {PaddedVectorTiers.MaxLength} values.");
            }

            parameters = new OneHotParameters(_inputColumnName, _outputColumnName, isKey: true, (int)key.Count, [], _treatUnknownAsError);
        }
        else
        {
            CheckNumberType(column.Type is NumberDataViewType or BooleanDataViewType, column.Type.ToString() ?? column.Type.RawType.Name);
            double[] categories = LearnCategories(input);
            parameters = new OneHotParameters(_inputColumnName, _outputColumnName, isKey: false, categories.Length, categories, _treatUnknownAsError);
        }

        ChainBuilder builder = ChainBuilder.ForData(_transforms, input);
        Build(builder, new OneHotState(parameters).Encode(), parameters.IsKey, parameters.SlotCount);
        return new OneHotTransformer(parameters, column.Type, builder.BuildChain());
    }

    /// <summary>The input shape plus the output column, a known-size vector of Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of an unsupported type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        StateColumns.CheckNoReservedColumns(inputSchema, Component);
        SchemaShape.Column column = inputSchema.FirstOrDefault(c => c.Name == _inputColumnName);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{Component}: input column '{_inputColumnName}' not found.");
        }

        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        if (column.IsKey)
        {
            CheckNumberType(scalar && column.ItemType == NumberDataViewType.UInt32, Describe(column));
        }
        else
        {
            CheckNumberType(scalar && column.ItemType is NumberDataViewType or BooleanDataViewType, Describe(column));
        }

        ChainBuilder builder = ChainBuilder.ForShape(_transforms, inputSchema);
        Build(builder, string.Empty, column.IsKey, slots: 1);
        return builder.OutputShape;
    }

    private void Build(ChainBuilder builder, string state, bool isKey, int slots)
    {
        builder.AppendState(state);
        if (isKey)
        {
            builder.AppendCopy(StateColumns.Input, _inputColumnName);
        }
        else
        {
            builder.Append(_transforms.Conversion.ConvertType(StateColumns.Input, _inputColumnName, DataKind.Double));
        }

        builder.AppendPaddedVectorMapping(isKey ? s_keyTiers : s_numberTiers, slots, Component)
            .AppendCopy(_outputColumnName, StateColumns.Output)
            .AppendDropTemporaryColumns();
    }

    private void CheckNumberType(bool supported, string actualType)
    {
        if (!supported)
        {
            throw new ArgumentOutOfRangeException(
                nameof(actualType),
                $"{Component}: input column '{_inputColumnName}' is {actualType}; expected a key (UInt32) or a whole-number scalar (Single, Double, an integer type, Boolean).");
        }
    }

    private static string Describe(SchemaShape.Column column)
    {
        string type = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{type}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{type}>",
            _ => type,
        };
    }

    private double[] LearnCategories(IDataView input)
    {
        // Read through the same saved conversion the mapping reads through, so fit and mapping see the same doubles.
        IDataView converted = _transforms.Conversion.ConvertType(StateColumns.Input, _inputColumnName, DataKind.Double).Fit(input).Transform(input);
        DataViewSchema.Column column = converted.Schema[StateColumns.Input];
        var seen = new HashSet<double>();
        using DataViewRowCursor cursor = converted.GetRowCursor([column]);
        ValueGetter<double> getter = cursor.GetGetter<double>(column);
        double value = 0;
        for (long row = 0; cursor.MoveNext(); row++)
        {
            getter(ref value);
            if (double.IsNaN(value))
            {
                if (_treatUnknownAsError)
                {
                    throw new InvalidDataException(
                        $"{Component}: column '{_inputColumnName}' has a missing value (NaN) in row {row}, and TreatUnknownAsError is set.");
                }

                continue;
            }

            if (!OneHotCode.IsExactWholeNumber(value))
            {
                throw new InvalidDataException(
                    $"{Component}: column '{_inputColumnName}' has {value.ToString("R", CultureInfo.InvariantCulture)} in row {row}; " +
                    "a number column to one-hot encode must hold whole numbers of magnitude at most 2^53.");
            }

            // + 0.0 turns -0 into +0: one category for both.
            if (seen.Add(value + 0.0) && seen.Count > PaddedVectorTiers.MaxLength)
            {
                throw new InvalidDataException(
                    $"{Component}: column '{_inputColumnName}' has more than {PaddedVectorTiers.MaxLength} distinct values, the most one-hot encoding supports.");
            }
        }

        if (seen.Count == 0)
        {
            throw new InvalidDataException($"{Component}: column '{_inputColumnName}' has no non-missing value to learn categories from.");
        }

        return [.. seen.Order()];
    }
}
