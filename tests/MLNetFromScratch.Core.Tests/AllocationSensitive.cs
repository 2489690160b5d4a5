namespace MLNetFromScratch.Core.Tests;

/// <summary>Tests that count allocated bytes run alone, so other tests' allocations do not blur the count.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;
