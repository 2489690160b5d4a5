using Microsoft.ML;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// What <see cref="OneHotEstimator"/> learned for one column: the number of slots k and, for a number column,
/// the category of each slot.
/// </summary>
public sealed class OneHotParameters
{
    internal OneHotParameters(string inputColumnName, string outputColumnName, bool isKey, int slotCount, double[] categories, bool treatUnknownAsError)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        IsKey = isKey;
        SlotCount = slotCount;
        Categories = categories;
        TreatUnknownAsError = treatUnknownAsError;
    }

    /// <summary>The column that was encoded.</summary>
    public string InputColumnName { get; }

    /// <summary>The column the one-hot vectors are written to.</summary>
    public string OutputColumnName { get; }

    /// <summary>True for a key column (slot j − 1 for key j), false for a whole-number column.</summary>
    public bool IsKey { get; }

    /// <summary>k, the size of the output vector: the key count, or the number of distinct values seen at fit.</summary>
    public int SlotCount { get; }

    /// <summary>
    /// For a number column, the value of each slot, ascending (a Boolean column gives 0 for false, 1 for true);
    /// empty for a key column.
    /// </summary>
    public IReadOnlyList<double> Categories { get; }

    /// <summary>Whether an unseen or missing value is an error when mapping, rather than the zero vector.</summary>
    public bool TreatUnknownAsError { get; }

    /// <summary>
    /// The parameters of every one-hot encoding in <paramref name="model"/>, in pipeline order; works on a model
    /// returned by <c>mlContext.Model.Load</c> as well as on a freshly fitted one.
    /// </summary>
    /// <exception cref="InvalidDataException">A saved state is corrupt.</exception>
    public static IReadOnlyList<OneHotParameters> ReadFrom(ITransformer model) =>
        [.. ModelStateReader.ReadStates(model, OneHotState.Kind).Select(text => OneHotState.Decode(text.AsMemory()).Parameters)];
}
