using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Preprocessing;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// Fits, in one streaming pass, the per-slot mean μ and population standard deviation σ of a Single or
/// known-size vector-of-Single column, and standardizes it: x ↦ (x − μ) / σ.
/// </summary>
/// <remarks>
/// A constant slot (σ = 0) maps to 0. Missing values (NaN) are left out of the fit and map to 0 (the mean,
/// scaled), unless <see cref="StandardizeOptions.TreatMissingAsError"/> is set. An infinite value is refused.
/// </remarks>
public sealed class StandardizeEstimator : IEstimator<StandardizeTransformer>
{
    private const string Component = "Standardize";

    private static readonly IPaddedVectorStage[] s_tiers =
    [
        new StandardizeVector4(), new StandardizeVector16(), new StandardizeVector64(), new StandardizeVector256(),
        new StandardizeVector1024(), new StandardizeVector4096(), new StandardizeVector16384(), new StandardizeVector65536(),
    ];

    private readonly TransformsCatalog _transforms;
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly bool _treatMissingAsError;

    internal StandardizeEstimator(TransformsCatalog transforms, StandardizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputColumnName, nameof(options.OutputColumnName));
        _transforms = transforms;
        _outputColumnName = options.OutputColumnName;
        _inputColumnName = options.InputColumnName ?? options.OutputColumnName;
        _treatMissingAsError = options.TreatMissingAsError;
    }

    /// <summary>Fits the means and standard deviations on <paramref name="input"/>, reading it once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not Single / known-size vector of Single.</exception>
    /// <exception cref="InvalidDataException">A value is infinite, or missing while missing values are errors.</exception>
    public StandardizeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        StateColumns.CheckNoReservedColumns(input.Schema, Component);
        DataViewSchema.Column column = input.Schema.GetColumnOrNull(_inputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(input), $"{Component}: input column '{_inputColumnName}' not found.");
        int slots = SlotCount(column.Type);
        bool isVector = column.Type is VectorDataViewType;

        RunningMeanVariance statistics = Accumulate(input, column, slots, isVector);
        var means = new float[slots];
        var deviations = new float[slots];
        for (int i = 0; i < slots; i++)
        {
            means[i] = (float)statistics.Mean(i);
            deviations[i] = (float)statistics.StandardDeviation(i);
        }

        var parameters = new StandardizeParameters(_inputColumnName, _outputColumnName, isVector, means, deviations, _treatMissingAsError);
        ChainBuilder builder = ChainBuilder.ForData(_transforms, input);
        Build(builder, new StandardizeState(parameters).Encode(), isVector, slots);
        return new StandardizeTransformer(parameters, builder.BuildChain());
    }

    /// <summary>The input shape plus the output column (same kind as the input).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not of Single items.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        StateColumns.CheckNoReservedColumns(inputSchema, Component);
        SchemaShape.Column column = inputSchema.FirstOrDefault(c => c.Name == _inputColumnName);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{Component}: input column '{_inputColumnName}' not found.");
        }

        if (column.ItemType != NumberDataViewType.Single || column.IsKey || column.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputSchema), $"{Component}: input column '{_inputColumnName}' must be Single or a known-size vector of Single.");
        }

        ChainBuilder builder = ChainBuilder.ForShape(_transforms, inputSchema);
        Build(builder, string.Empty, column.Kind == SchemaShape.Column.VectorKind.Vector, slots: 1);
        return builder.OutputShape;
    }

    private void Build(ChainBuilder builder, string state, bool isVector, int slots)
    {
        builder.AppendState(state).AppendCopy(StateColumns.Input, _inputColumnName);
        if (isVector)
        {
            builder.AppendPaddedVectorMapping(s_tiers, slots, Component);
        }
        else
        {
            builder.Append(_transforms.CustomMapping(new StandardizeScalarMapping().GetMapping(), StandardizeScalarMapping.ContractName));
        }

        builder.AppendCopy(_outputColumnName, StateColumns.Output).AppendDropTemporaryColumns();
    }

    private int SlotCount(DataViewType type) => type switch
    {
        NumberDataViewType n when n == NumberDataViewType.Single => 1,
        VectorDataViewType { ItemType: NumberDataViewType n, Size: > 0 } v when n == NumberDataViewType.Single => v.Size,
        _ => throw new ArgumentOutOfRangeException(
            nameof(type), $"{Component}: input column '{_inputColumnName}' is {type}; expected Single or a known-size vector of Single."),
    };

    private RunningMeanVariance Accumulate(IDataView input, DataViewSchema.Column column, int slots, bool isVector)
    {
        var statistics = new RunningMeanVariance(slots);
        var row = new float[slots];
        using DataViewRowCursor cursor = input.GetRowCursor([column]);
        ValueGetter<VBuffer<float>>? vectorGetter = isVector ? cursor.GetGetter<VBuffer<float>>(column) : null;
        ValueGetter<float>? scalarGetter = isVector ? null : cursor.GetGetter<float>(column);
        VBuffer<float> vector = default;
        long index = 0;
        while (cursor.MoveNext())
        {
            if (vectorGetter is not null)
            {
                vectorGetter(ref vector);
                vector.CopyTo(row);
            }
            else
            {
                scalarGetter!(ref row[0]);
            }

            for (int i = 0; i < slots; i++)
            {
                if (float.IsInfinity(row[i]))
                {
                    throw new InvalidDataException(
                        $"{Component}: column '{_inputColumnName}' has an infinite value ({row[i]}) in row {index}, slot {i}.");
                }

                if (_treatMissingAsError && float.IsNaN(row[i]))
                {
                    throw new InvalidDataException(
                        $"{Component}: column '{_inputColumnName}' has a missing value (NaN) in row {index}, slot {i}, and TreatMissingAsError is set.");
                }
            }

            statistics.Add(row);
            index++;
        }

        return statistics;
    }
}
