using Microsoft.ML;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// A fold number for every row of a data view, made once and reused for every candidate. Classification folds are stratified:
/// each class' rows, shuffled, are dealt in turn to the folds, so fold f holds floor(n_c/k) or ceil(n_c/k) rows of class c.
/// With a sampling key, whole groups are dealt instead: the groups, shuffled, go one by one to the fold with the fewest rows so far,
/// so no key value is in two folds. Deterministic from the seed; rows are numbered in the order an unshuffled cursor returns them.
/// </summary>
public sealed class FoldAssignment
{
    private readonly int[] _folds;

    private FoldAssignment(int[] folds, int numberOfFolds)
    {
        _folds = folds;
        NumberOfFolds = numberOfFolds;
    }

    /// <summary>The number of folds k.</summary>
    public int NumberOfFolds { get; }

    /// <summary>The fold (0..k-1) of each row, in row order.</summary>
    public IReadOnlyList<int> FoldOfRow => _folds;

    /// <summary>The number of rows the assignment covers.</summary>
    public int RowCount => _folds.Length;

    /// <summary>Assigns a fold to every row of <paramref name="data"/>.</summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="numberOfFolds">k, at least 2 and at most the number of rows (or groups).</param>
    /// <param name="stratificationColumnName">A scalar column whose values are the classes to stratify by, or <c>null</c> for plain shuffled folds.</param>
    /// <param name="samplingKeyColumnName">A scalar column whose rows sharing a value must stay in one fold, or <c>null</c>. It takes precedence over stratification.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <returns>The assignment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the number of rows or groups.</exception>
    /// <exception cref="ArgumentException">A named column is missing or is a vector.</exception>
    public static FoldAssignment Create(IDataView data, int numberOfFolds, string? stratificationColumnName, string? samplingKeyColumnName, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfFolds, 2);
        var random = new SplitMix64(SplitMix64.Mix(seed, 0x5F01D5, 0));

        if (samplingKeyColumnName is not null)
        {
            string[] keys = ColumnReader.ReadAsText(data, samplingKeyColumnName, nameof(samplingKeyColumnName));
            return Grouped(keys, numberOfFolds, random);
        }

        if (stratificationColumnName is not null)
        {
            string[] classes = ColumnReader.ReadAsText(data, stratificationColumnName, nameof(stratificationColumnName));
            return Stratified(classes, numberOfFolds, random);
        }

        long rowCount = ColumnReader.CountRows(data);
        return Stratified(new string[rowCount], numberOfFolds, random);
    }

    /// <summary>The rows outside fold <paramref name="fold"/>, cached in memory so that trainers may shuffle them.</summary>
    /// <param name="data">The data the assignment was made from.</param>
    /// <param name="fold">The held-out fold.</param>
    /// <returns>The training rows, in their original order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is outside [0, k).</exception>
    public IDataView GetTrainSet(IDataView data, int fold) => Select(data, fold, inFold: false);

    /// <summary>The rows of fold <paramref name="fold"/>, cached in memory.</summary>
    /// <param name="data">The data the assignment was made from.</param>
    /// <param name="fold">The held-out fold.</param>
    /// <returns>The test rows, in their original order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is outside [0, k).</exception>
    public IDataView GetTestSet(IDataView data, int fold) => Select(data, fold, inFold: true);

    private IDataView Select(IDataView data, int fold, bool inFold)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(fold);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fold, NumberOfFolds);
        bool[] selected = Array.ConvertAll(_folds, f => (f == fold) == inFold);
        return new MLContext().Data.Cache(new RowSelectionDataView(data, selected));
    }

    private static FoldAssignment Stratified(string?[] classes, int numberOfFolds, SplitMix64 random)
    {
        if (numberOfFolds > classes.Length)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, $"More folds than the {classes.Length} rows.");

        // Classes in order of first appearance, each one's rows shuffled, then dealt round-robin with one running counter,
        // so every fold gets floor or ceil of n_c / k rows of each class and floor or ceil of n / k rows in all.
        var rowsByClass = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (int row = 0; row < classes.Length; row++)
        {
            string key = classes[row] ?? string.Empty;
            if (!rowsByClass.TryGetValue(key, out var rows))
            {
                rows = [];
                rowsByClass.Add(key, rows);
                order.Add(rows);
            }

            rows.Add(row);
        }

        var folds = new int[classes.Length];
        int next = 0;
        foreach (var rows in order)
        {
            random.Shuffle(rows);
            foreach (int row in rows)
                folds[row] = next++ % numberOfFolds;
        }

        return new FoldAssignment(folds, numberOfFolds);
    }

    private static FoldAssignment Grouped(string[] keys, int numberOfFolds, SplitMix64 random)
    {
        var rowsByKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var groups = new List<List<int>>();
        for (int row = 0; row < keys.Length; row++)
        {
            if (!rowsByKey.TryGetValue(keys[row], out var rows))
            {
                rows = [];
                rowsByKey.Add(keys[row], rows);
                groups.Add(rows);
            }

            rows.Add(row);
        }

        if (numberOfFolds > groups.Count)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, $"More folds than the {groups.Count} sampling-key groups.");

        random.Shuffle(groups);
        var folds = new int[keys.Length];
        var sizes = new int[numberOfFolds];
        foreach (var rows in groups)
        {
            int smallest = 0;
            for (int f = 1; f < numberOfFolds; f++)
            {
                if (sizes[f] < sizes[smallest])
                    smallest = f;
            }

            foreach (int row in rows)
                folds[row] = smallest;
            sizes[smallest] += rows.Count;
        }

        return new FoldAssignment(folds, numberOfFolds);
    }
}
