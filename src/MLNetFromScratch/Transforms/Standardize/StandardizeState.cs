using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>The saved state of a standardization, and its decoded form used per row.</summary>
internal sealed class StandardizeState
{
    public const string Kind = "Standardize";
    private const int Version = 1;

    public StandardizeState(StandardizeParameters parameters)
    {
        Parameters = parameters;
        Means = [.. parameters.Means];
        StandardDeviations = [.. parameters.StandardDeviations];
    }

    public StandardizeParameters Parameters { get; }

    public float[] Means { get; }

    public float[] StandardDeviations { get; }

    public string Encode()
    {
        var writer = new StatePayloadWriter();
        writer.WriteString(Parameters.InputColumnName);
        writer.WriteString(Parameters.OutputColumnName);
        writer.WriteBoolean(Parameters.IsVector);
        writer.WriteBoolean(Parameters.TreatMissingAsError);
        writer.WriteSingles(Means);
        writer.WriteSingles(StandardDeviations);
        return writer.ToStateText(Kind, Version);
    }

    public static StandardizeState Decode(ReadOnlyMemory<char> text)
    {
        StatePayloadReader reader = StateCodec.Decode(text.Span, Kind, Version).CreateReader();
        string input = reader.ReadString();
        string output = reader.ReadString();
        bool isVector = reader.ReadBoolean();
        bool missingIsError = reader.ReadBoolean();
        float[] means = reader.ReadSingles();
        float[] deviations = reader.ReadSingles();
        reader.EnsureEnd();
        if (means.Length == 0 || means.Length != deviations.Length || (!isVector && means.Length != 1))
        {
            throw new InvalidDataException($"The saved standardization of '{input}' has {means.Length} means and {deviations.Length} deviations.");
        }

        return new StandardizeState(new StandardizeParameters(input, output, isVector, means, deviations, missingIsError));
    }

    /// <summary>(x − μ) / σ, 0 where σ = 0; a missing x becomes μ (so 0), or an error.</summary>
    public float Map(float x, int slot)
    {
        if (float.IsNaN(x))
        {
            if (Parameters.TreatMissingAsError)
            {
                throw new InvalidDataException(
                    $"Standardize: column '{Parameters.InputColumnName}' has a missing value (NaN) in slot {slot}, and TreatMissingAsError is set.");
            }

            return 0f;
        }

        float sigma = StandardDeviations[slot];
        if (sigma == 0f)
        {
            return 0f;
        }

        // x − μ overflows single precision for finite x near ±3.4e38 although the z-score is small: redo it in double.
        float z = (x - Means[slot]) / sigma;
        return float.IsFinite(z) ? z : (float)((x - (double)Means[slot]) / sigma);
    }
}
