namespace MLNetFromScratch.Core.Training;

/// <summary>Training produced a loss or weight that is NaN or infinite; no model is returned.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception with its message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
