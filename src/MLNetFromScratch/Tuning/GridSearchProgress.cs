namespace MLNetFromScratch.Tuning;

/// <summary>Reported after each finished fold fit.</summary>
/// <param name="Fold">The fold result just finished.</param>
/// <param name="Parameters">Its candidate's parameters.</param>
/// <param name="CompletedFits">How many fold fits have finished so far in this run (shard).</param>
/// <param name="TotalFits">How many fold fits this run (shard) has in all.</param>
public sealed record GridSearchProgress(FoldResult Fold, ParameterSet Parameters, int CompletedFits, int TotalFits);
