using System.Globalization;
using MLNetFromScratch.Core.Preprocessing;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>The saved state of a one-hot encoding, and its decoded form used per row.</summary>
internal sealed class OneHotState
{
    public const string Kind = "OneHot";
    private const int Version = 1;

    public OneHotState(OneHotParameters parameters)
    {
        Parameters = parameters;
        Categories = [.. parameters.Categories];
    }

    public OneHotParameters Parameters { get; }

    public double[] Categories { get; }

    public string Encode()
    {
        var writer = new StatePayloadWriter();
        writer.WriteString(Parameters.InputColumnName);
        writer.WriteString(Parameters.OutputColumnName);
        writer.WriteBoolean(Parameters.IsKey);
        writer.WriteBoolean(Parameters.TreatUnknownAsError);
        writer.WriteInt32(Parameters.SlotCount);
        writer.WriteDoubles(Categories);
        return writer.ToStateText(Kind, Version);
    }

    public static OneHotState Decode(ReadOnlyMemory<char> text)
    {
        StatePayloadReader reader = StateCodec.Decode(text.Span, Kind, Version).CreateReader();
        string input = reader.ReadString();
        string output = reader.ReadString();
        bool isKey = reader.ReadBoolean();
        bool unknownIsError = reader.ReadBoolean();
        int slots = reader.ReadInt32();
        double[] categories = reader.ReadDoubles();
        reader.EnsureEnd();
        if (slots < 1 || slots > PaddedVectorTiers.MaxLength || categories.Length != (isKey ? 0 : slots) || !IsAscendingWholeNumbers(categories))
        {
            throw new InvalidDataException(
                $"The saved one-hot encoding of '{input}' has {slots} slots and {categories.Length} categories, not ascending whole numbers: it is corrupt.");
        }

        return new OneHotState(new OneHotParameters(input, output, isKey, slots, categories, unknownIsError));
    }

    /// <summary>Writes the code of key <paramref name="key"/> (1..k; 0 is missing) into the first k slots.</summary>
    public void Map(uint key, Span<float> destination)
    {
        int slot = key >= 1 && key <= Parameters.SlotCount ? (int)key - 1 : -1;
        if (slot < 0)
        {
            ThrowIfUnknownIsError(key == 0 ? "the missing key (0)" : $"key {key}, outside 1..{Parameters.SlotCount}");
        }

        OneHotCode.Write(slot, destination[..Parameters.SlotCount]);
    }

    /// <summary>Writes the code of <paramref name="value"/> into the first k slots.</summary>
    public void Map(double value, Span<float> destination)
    {
        int slot = OneHotCode.SlotOf(Categories, value);
        if (slot < 0)
        {
            ThrowIfUnknownIsError(double.IsNaN(value)
                ? "a missing value (NaN)"
                : $"the value {value.ToString("R", CultureInfo.InvariantCulture)}, not seen at fit");
        }

        OneHotCode.Write(slot, destination[..Parameters.SlotCount]);
    }

    private void ThrowIfUnknownIsError(string what)
    {
        if (Parameters.TreatUnknownAsError)
        {
            throw new InvalidDataException(
                $"OneHot: column '{Parameters.InputColumnName}' has {what}, and TreatUnknownAsError is set.");
        }
    }

    private static bool IsAscendingWholeNumbers(double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!OneHotCode.IsExactWholeNumber(values[i]) || (i > 0 && values[i] <= values[i - 1]))
            {
                return false;
            }
        }

        return true;
    }
}
