namespace MLNetFromScratch;

/// <summary>How the learning rate η_e of epoch e (counted from 0) follows from the base rate η.</summary>
public enum LearningRateSchedule
{
    /// <summary>η_e = η.</summary>
    Constant,

    /// <summary>η_e = η · γ^⌊e / s⌋: multiplied by the decay rate γ every s epochs.</summary>
    StepDecay,

    /// <summary>η_e = η · γ^e: multiplied by the decay rate γ every epoch.</summary>
    ExponentialDecay,
}
