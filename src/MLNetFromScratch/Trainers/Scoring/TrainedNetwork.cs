using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The network a trainer's chain held in memory scores with: its mappings are fitted while the data is read, before the
/// network exists, and read it from here once <see cref="NeuralNetworkTrainer.Fit"/> has put it in after training.
/// </summary>
/// <remarks>
/// The saved chain's mappings read the network from the state column, decoded once per state text
/// (<see cref="NetworkStates"/>); in memory that costs every row a stage (the state column's mapping) and each
/// <c>Transform</c> its compiled row accessors, and a decoded copy of the network. The trained network scores as the
/// decoded one, bit for bit (the state text holds its parameters exactly).
/// </remarks>
internal sealed class TrainedNetwork
{
    private NeuralNetworkModelParameters? _network;

    /// <summary>Puts the trained network in (once).</summary>
    public void Set(NeuralNetworkModelParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Interlocked.CompareExchange(ref _network, network, null) is not null)
        {
            throw new InvalidOperationException("The trained network is already set.");
        }
    }

    /// <summary>The network, checked against the row's feature count.</summary>
    /// <exception cref="InvalidOperationException">No network yet, or the row's feature count differs from the network's.</exception>
    public NeuralNetworkModelParameters Get(int featureCount) =>
        NetworkStates.CheckFeatureCount(Volatile.Read(ref _network) ?? throw new InvalidOperationException("The network is not trained yet."), featureCount);

    /// <summary>
    /// The in-memory twin of a scoring mapping: <paramref name="write"/> with this network and the row's features, reading
    /// only <see cref="StateColumns.Input"/>; no contract name, it is never saved.
    /// </summary>
    public CustomMappingEstimator<FeaturesRow, TDst> Mapping<TDst>(TransformsCatalog transforms, Action<NeuralNetworkModelParameters, ReadOnlySpan<float>, TDst> write)
        where TDst : class, new() =>
        transforms.CustomMapping<FeaturesRow, TDst>((source, destination) => write(Get(source.Features.Length), source.DenseFeatures(), destination), contractName: null);

    /// <summary>What an in-memory scoring mapping reads: the features.</summary>
    public sealed class FeaturesRow
    {
        // The features of a sparse row spread out, reused from row to row (a cursor fills its row object on one thread).
        private float[] _dense = [];

        /// <summary>The user's feature column (a copy of it under a fixed name), dense or sparse as the cursor gives it.</summary>
        [ColumnName(StateColumns.Input)]
        public VBuffer<float> Features { get; set; }

        /// <summary>The features as a dense span of <see cref="VBuffer{T}.Length"/> values: the buffer itself when dense.</summary>
        internal ReadOnlySpan<float> DenseFeatures() => NetworkInputRow.Dense(Features, ref _dense);
    }
}
