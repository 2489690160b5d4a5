using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Training;

/// <summary>A trained network and the story of its training.</summary>
/// <param name="Network">The network: the best epoch's weights when early stopping restored them, else the last.</param>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights <paramref name="Network"/> holds.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the last epoch.</param>
public sealed record TrainingResult(TwoLayerNetwork Network, IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly);
