namespace MLNetFromScratch.Core.Training;

/// <summary>What one epoch of training achieved.</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="TrainingLoss">The mean cost over the epoch's mini-batches, weighted by batch size, L2 penalty included.</param>
/// <param name="ValidationLoss">The mean data loss on the validation set (no penalty, no dropout), or null without one.</param>
/// <param name="ValidationMetric">Accuracy (classification) or R² (regression) on the validation set, or null without one.</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record EpochReport(
    int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationMetric, float LearningRate, TimeSpan Elapsed);
