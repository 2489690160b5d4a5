using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// The fold results of shard <see cref="ShardIndex"/> of <see cref="ShardCount"/> of a grid search: the candidates whose grid index i has
/// i mod ShardCount = ShardIndex. Written to a JSON file by each process, read back and combined with <see cref="GridSearchResult.Merge"/>.
/// </summary>
public sealed class GridSearchShard
{
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal GridSearchShard(
        GridSearchTask task, string gridFingerprint, string runFingerprint, int shardIndex, int shardCount, int numberOfFolds, int seed,
        IReadOnlyList<FoldResult> folds, IReadOnlyDictionary<int, string> descriptions)
    {
        Task = task;
        GridFingerprint = gridFingerprint;
        RunFingerprint = runFingerprint;
        ShardIndex = shardIndex;
        ShardCount = shardCount;
        NumberOfFolds = numberOfFolds;
        Seed = seed;
        Folds = folds;
        Descriptions = descriptions;
    }

    /// <summary>The task, which fixes the metrics.</summary>
    public GridSearchTask Task { get; }

    /// <summary>The <see cref="ParameterGrid.Fingerprint"/> of the grid that was run.</summary>
    public string GridFingerprint { get; }

    /// <summary>The <see cref="GridSearchResult.RunFingerprint"/> of the whole search: all shards of one search share it.</summary>
    public string RunFingerprint { get; }

    /// <summary>This shard's index, 0..<see cref="ShardCount"/>-1.</summary>
    public int ShardIndex { get; }

    /// <summary>The number of shards the grid is split into.</summary>
    public int ShardCount { get; }

    /// <summary>The number of folds k.</summary>
    public int NumberOfFolds { get; }

    /// <summary>The search's seed.</summary>
    public int Seed { get; }

    /// <summary>The fold results, by candidate then fold.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>Each candidate's parameters as text (<see cref="ParameterSet.ToString"/>), by grid index: for people reading the file.</summary>
    public IReadOnlyDictionary<int, string> Descriptions { get; }

    /// <summary>Whether candidate <paramref name="candidateIndex"/> belongs to shard <paramref name="shardIndex"/> of <paramref name="shardCount"/>.</summary>
    /// <param name="candidateIndex">A grid index.</param>
    /// <param name="shardIndex">A shard index.</param>
    /// <param name="shardCount">The number of shards.</param>
    /// <returns><c>candidateIndex % shardCount == shardIndex</c>: interleaved, so costly values of the first axis spread over shards.</returns>
    public static bool Owns(int candidateIndex, int shardIndex, int shardCount) => candidateIndex % shardCount == shardIndex;

    /// <summary>Writes the shard as JSON (task, fingerprints, shard, folds, seed, and per fold: candidate, parameters, fold, metrics, fit seconds).</summary>
    /// <param name="writer">Where to write.</param>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var file = new ShardFile
        {
            FormatVersion = FormatVersion,
            Task = Task.ToString(),
            GridFingerprint = GridFingerprint,
            RunFingerprint = RunFingerprint,
            ShardIndex = ShardIndex,
            ShardCount = ShardCount,
            NumberOfFolds = NumberOfFolds,
            Seed = Seed,
            Folds = [.. Folds.Select(f => new ShardFoldRow
            {
                Candidate = f.CandidateIndex,
                Parameters = Descriptions[f.CandidateIndex],
                Fold = f.Fold,
                Metrics = f.MetricNames.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => f.Metrics[p.i]),
                FitTicks = f.FitTime.Ticks,
            })],
        };
        writer.Write(JsonSerializer.Serialize(file, s_json));
    }

    /// <summary>Writes the shard as JSON to a UTF-8 file.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    public void Write(string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(writer);
    }

    /// <summary>Reads a shard written by <see cref="Write(TextWriter)"/>.</summary>
    /// <param name="reader">The JSON text.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="InvalidDataException">The text is not a shard file of this format version.</exception>
    public static GridSearchShard Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ShardFile file;
        try
        {
            file = JsonSerializer.Deserialize<ShardFile>(reader.ReadToEnd(), s_json) ?? throw new InvalidDataException("Empty shard file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a grid-search shard file: {e.Message}", e);
        }

        if (file.FormatVersion != FormatVersion)
            throw new InvalidDataException($"Shard file format version {file.FormatVersion}; this library reads version {FormatVersion}.");
        if (!Enum.TryParse(file.Task, out GridSearchTask task))
            throw new InvalidDataException($"Unknown task '{file.Task}' in shard file.");

        var names = GridMetrics.Names(task);
        var folds = file.Folds.Select(row =>
        {
            var missing = names.Where(m => !row.Metrics.ContainsKey(m)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException($"Candidate {row.Candidate} fold {row.Fold} lacks metric(s) {string.Join(", ", missing)}.");
            return new FoldResult(row.Candidate, row.Fold, names, [.. names.Select(m => row.Metrics[m])], TimeSpan.FromTicks(row.FitTicks));
        }).ToList();
        var descriptions = file.Folds.GroupBy(r => r.Candidate).ToDictionary(g => g.Key, g => g.First().Parameters);
        return new GridSearchShard(task, file.GridFingerprint, file.RunFingerprint, file.ShardIndex, file.ShardCount, file.NumberOfFolds, file.Seed, folds, descriptions);
    }

    /// <summary>Reads a shard file written by <see cref="Write(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="InvalidDataException">The file is not a shard file of this format version.</exception>
    public static GridSearchShard Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader);
    }

    /// <summary>Checks that the shard holds every fold of exactly its own candidates.</summary>
    internal void CheckComplete(int candidateCount, string paramName)
    {
        var expected = Enumerable.Range(0, candidateCount)
            .Where(c => Owns(c, ShardIndex, ShardCount))
            .SelectMany(c => Enumerable.Range(0, NumberOfFolds).Select(f => (c, f)))
            .ToHashSet();
        var actual = Folds.Select(f => (f.CandidateIndex, f.Fold)).ToList();
        if (actual.Count != actual.Distinct().Count() || !expected.SetEquals(actual))
        {
            throw new ArgumentException(
                $"Shard {ShardIndex} of {ShardCount} holds {actual.Count} fold results, expected one for each of its {expected.Count} (candidate, fold) pairs: it is incomplete or from another grid.",
                paramName);
        }
    }

    private sealed class ShardFile
    {
        public int FormatVersion { get; set; }

        public string Task { get; set; } = string.Empty;

        public string GridFingerprint { get; set; } = string.Empty;

        public string RunFingerprint { get; set; } = string.Empty;

        public int ShardIndex { get; set; }

        public int ShardCount { get; set; }

        public int NumberOfFolds { get; set; }

        public int Seed { get; set; }

        public List<ShardFoldRow> Folds { get; set; } = [];
    }

    private sealed class ShardFoldRow
    {
        public int Candidate { get; set; }

        public string Parameters { get; set; } = string.Empty;

        public int Fold { get; set; }

        public Dictionary<string, double> Metrics { get; set; } = [];

        public long FitTicks { get; set; }
    }
}
