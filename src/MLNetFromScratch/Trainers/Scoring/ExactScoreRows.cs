using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

// The outputs of ExactScoreMapping: the user's Score column with exactly K values, one sealed class per K (a vector
// column's size is fixed at compile time).

/// <summary>A Score of 2 values.</summary>
internal sealed class ExactScoreRow2 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(2)]
    public float[] Values { get; set; } = new float[2];
}

/// <summary>A Score of 3 values.</summary>
internal sealed class ExactScoreRow3 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(3)]
    public float[] Values { get; set; } = new float[3];
}

/// <summary>A Score of 4 values.</summary>
internal sealed class ExactScoreRow4 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(4)]
    public float[] Values { get; set; } = new float[4];
}

/// <summary>A Score of 5 values.</summary>
internal sealed class ExactScoreRow5 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(5)]
    public float[] Values { get; set; } = new float[5];
}

/// <summary>A Score of 6 values.</summary>
internal sealed class ExactScoreRow6 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(6)]
    public float[] Values { get; set; } = new float[6];
}

/// <summary>A Score of 7 values.</summary>
internal sealed class ExactScoreRow7 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(7)]
    public float[] Values { get; set; } = new float[7];
}

/// <summary>A Score of 8 values.</summary>
internal sealed class ExactScoreRow8 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(8)]
    public float[] Values { get; set; } = new float[8];
}

/// <summary>A Score of 9 values.</summary>
internal sealed class ExactScoreRow9 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(9)]
    public float[] Values { get; set; } = new float[9];
}

/// <summary>A Score of 10 values.</summary>
internal sealed class ExactScoreRow10 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(10)]
    public float[] Values { get; set; } = new float[10];
}

/// <summary>A Score of 11 values.</summary>
internal sealed class ExactScoreRow11 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(11)]
    public float[] Values { get; set; } = new float[11];
}

/// <summary>A Score of 12 values.</summary>
internal sealed class ExactScoreRow12 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(12)]
    public float[] Values { get; set; } = new float[12];
}

/// <summary>A Score of 13 values.</summary>
internal sealed class ExactScoreRow13 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(13)]
    public float[] Values { get; set; } = new float[13];
}

/// <summary>A Score of 14 values.</summary>
internal sealed class ExactScoreRow14 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(14)]
    public float[] Values { get; set; } = new float[14];
}

/// <summary>A Score of 15 values.</summary>
internal sealed class ExactScoreRow15 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(15)]
    public float[] Values { get; set; } = new float[15];
}

/// <summary>A Score of 16 values.</summary>
internal sealed class ExactScoreRow16 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(16)]
    public float[] Values { get; set; } = new float[16];
}

/// <summary>A Score of 17 values.</summary>
internal sealed class ExactScoreRow17 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(17)]
    public float[] Values { get; set; } = new float[17];
}

/// <summary>A Score of 18 values.</summary>
internal sealed class ExactScoreRow18 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(18)]
    public float[] Values { get; set; } = new float[18];
}

/// <summary>A Score of 19 values.</summary>
internal sealed class ExactScoreRow19 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(19)]
    public float[] Values { get; set; } = new float[19];
}

/// <summary>A Score of 20 values.</summary>
internal sealed class ExactScoreRow20 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(20)]
    public float[] Values { get; set; } = new float[20];
}

/// <summary>A Score of 21 values.</summary>
internal sealed class ExactScoreRow21 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(21)]
    public float[] Values { get; set; } = new float[21];
}

/// <summary>A Score of 22 values.</summary>
internal sealed class ExactScoreRow22 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(22)]
    public float[] Values { get; set; } = new float[22];
}

/// <summary>A Score of 23 values.</summary>
internal sealed class ExactScoreRow23 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(23)]
    public float[] Values { get; set; } = new float[23];
}

/// <summary>A Score of 24 values.</summary>
internal sealed class ExactScoreRow24 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(24)]
    public float[] Values { get; set; } = new float[24];
}

/// <summary>A Score of 25 values.</summary>
internal sealed class ExactScoreRow25 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(25)]
    public float[] Values { get; set; } = new float[25];
}

/// <summary>A Score of 26 values.</summary>
internal sealed class ExactScoreRow26 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(26)]
    public float[] Values { get; set; } = new float[26];
}

/// <summary>A Score of 27 values.</summary>
internal sealed class ExactScoreRow27 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(27)]
    public float[] Values { get; set; } = new float[27];
}

/// <summary>A Score of 28 values.</summary>
internal sealed class ExactScoreRow28 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(28)]
    public float[] Values { get; set; } = new float[28];
}

/// <summary>A Score of 29 values.</summary>
internal sealed class ExactScoreRow29 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(29)]
    public float[] Values { get; set; } = new float[29];
}

/// <summary>A Score of 30 values.</summary>
internal sealed class ExactScoreRow30 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(30)]
    public float[] Values { get; set; } = new float[30];
}

/// <summary>A Score of 31 values.</summary>
internal sealed class ExactScoreRow31 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(31)]
    public float[] Values { get; set; } = new float[31];
}

/// <summary>A Score of 32 values.</summary>
internal sealed class ExactScoreRow32 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName("Score")]
    [VectorType(32)]
    public float[] Values { get; set; } = new float[32];
}
