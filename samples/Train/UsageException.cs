namespace Train;

/// <summary>A mistake in the command line or the data that the user can fix: printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
