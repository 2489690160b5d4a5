namespace MLNetFromScratch.Core.Optimizers;

/// <summary>Evaluates a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRates
{
    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0), as <see cref="LearningRateSchedule"/> defines it.</summary>
    public static float At(LearningRateSchedule schedule, float baseRate, int epoch, float decayRate, int stepEpochs) => schedule switch
    {
        LearningRateSchedule.Constant => baseRate,
        LearningRateSchedule.StepDecay => (float)(baseRate * Math.Pow(decayRate, epoch / Math.Max(stepEpochs, 1))),
        LearningRateSchedule.ExponentialDecay => (float)(baseRate * Math.Pow(decayRate, epoch)),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown schedule."),
    };
}
