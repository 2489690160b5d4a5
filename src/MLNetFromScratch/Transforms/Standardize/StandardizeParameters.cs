using Microsoft.ML;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// What <see cref="StandardizeEstimator"/> learned for one column: the per-slot mean μ and population standard
/// deviation σ, used as x ↦ (x − μ) / σ (0 where σ = 0).
/// </summary>
public sealed class StandardizeParameters
{
    internal StandardizeParameters(string inputColumnName, string outputColumnName, bool isVector, float[] means, float[] standardDeviations, bool treatMissingAsError)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        IsVector = isVector;
        Means = means;
        StandardDeviations = standardDeviations;
        TreatMissingAsError = treatMissingAsError;
    }

    /// <summary>The column the statistics were fitted on.</summary>
    public string InputColumnName { get; }

    /// <summary>The column the standardized values are written to.</summary>
    public string OutputColumnName { get; }

    /// <summary>True for a vector column, false for a single Single column (one slot).</summary>
    public bool IsVector { get; }

    /// <summary>The mean of each slot over its non-missing values (0 for a slot with none).</summary>
    public IReadOnlyList<float> Means { get; }

    /// <summary>The population standard deviation √(Σ(x − μ)² / n) of each slot.</summary>
    public IReadOnlyList<float> StandardDeviations { get; }

    /// <summary>Whether a missing value is an error when mapping.</summary>
    public bool TreatMissingAsError { get; }

    /// <summary>
    /// The parameters of every standardization in <paramref name="model"/>, in pipeline order; works on a model
    /// returned by <c>mlContext.Model.Load</c> as well as on a freshly fitted one.
    /// </summary>
    /// <exception cref="InvalidDataException">A saved state is corrupt.</exception>
    public static IReadOnlyList<StandardizeParameters> ReadFrom(ITransformer model) =>
        [.. ModelStateReader.ReadStates(model, StandardizeState.Kind).Select(text => StandardizeState.Decode(text.AsMemory()).Parameters)];
}
