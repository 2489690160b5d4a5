using System.Collections.Concurrent;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Tests.Optimizers;

// A step is split into fixed chunks of elements run on the kernel threads: the bits must be those of the
// scalar twin whatever the thread count, for lengths around the vector width and the chunk length.
public sealed class OptimizerThreadingTests
{
    private const int Chunk = ElementwiseChunks.Length;

    public static TheoryData<OptimizerKind, bool> Kinds() => new()
    {
        { OptimizerKind.Sgd, false },
        { OptimizerKind.Momentum, false },
        { OptimizerKind.Momentum, true },
        { OptimizerKind.Adam, false },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_1To4ThreadsAnyLength_SameBitsAsScalarTwin(OptimizerKind kind, bool nesterov)
    {
        int[] lengths = [1, 7, 8, 9, 31, 257, Chunk - 1, Chunk, Chunk + 1, (2 * Chunk) + 13, 101_770];
        int[] threads = [1, 2, 4];
        var settings = new OptimizerSettings { Nesterov = nesterov };
        var random = new Random(3);
        foreach (int n in lengths)
        {
            var reference = new ScalarOptimizer(kind, n, settings);
            float[] expected = new float[n], gradients = new float[n];
            for (int i = 0; i < n; i++)
            {
                expected[i] = (float)(random.NextDouble() - 0.5);
            }

            var optimizers = threads.Select(_ => Optimizer.Create(kind, n, settings)).ToArray();
            var contexts = threads.Select(t => new ComputeContext(t)).ToArray();
            var parameters = threads.Select(_ => (float[])expected.Clone()).ToArray();
            for (int step = 1; step <= 3; step++)
            {
                for (int i = 0; i < n; i++)
                {
                    // Magnitudes from 1e-6 to 10, some exact zeros.
                    gradients[i] = i % 11 == 0 ? 0f : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 2)));
                }

                reference.Step(expected, gradients, 1e-2f);
                for (int k = 0; k < threads.Length; k++)
                {
                    optimizers[k].Step(parameters[k], gradients, 1e-2f, contexts[k]);
                    AssertSameBits(expected, parameters[k], $"{kind} nesterov={nesterov} n={n} step={step} threads={threads[k]}");
                }
            }
        }
    }

    [Fact]
    public void Step_WithoutContext_SameBitsAsWithTwoThreads()
    {
        int n = (3 * Chunk) + 5;
        var random = new Random(5);
        float[] g = Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] a = Enumerable.Range(0, n).Select(_ => random.NextSingle()).ToArray();
        float[] b = (float[])a.Clone();
        Optimizer one = Optimizer.Create(OptimizerKind.Adam, n, new OptimizerSettings());
        Optimizer two = Optimizer.Create(OptimizerKind.Adam, n, new OptimizerSettings());
        var context = new ComputeContext(2);
        for (int step = 0; step < 3; step++)
        {
            one.Step(a, g, 1e-3f);
            two.Step(b, g, 1e-3f, context);
        }

        AssertSameBits(a, b, "Adam, three steps");
    }

    [Fact]
    public void Update_ManyThreads_ReceivesChunksThatTileTheVectorOnce()
    {
        int n = (5 * Chunk) + 3;
        var recorder = new RecordingOptimizer(n, throwAtOffset: -1);
        recorder.Step(new float[n], new float[n], 1f, new ComputeContext(4));
        int[] expectedStarts = Enumerable.Range(0, 6).Select(c => c * Chunk).ToArray();
        (int Offset, int Length)[] ranges = recorder.Ranges.OrderBy(r => r.Offset).ToArray();
        Assert.Equal(expectedStarts, ranges.Select(r => r.Offset));
        Assert.Equal(n, ranges.Sum(r => r.Length));
        Assert.All(ranges, r => Assert.Equal(Math.Min(Chunk, n - r.Offset), r.Length));
    }

    [Fact]
    public void Step_UpdateThrowsInAChunk_RethrowsOnCallerAndContextStaysUsable()
    {
        int n = 4 * Chunk;
        var context = new ComputeContext(2);
        var thrower = new RecordingOptimizer(n, throwAtOffset: 2 * Chunk);
        var error = Assert.Throws<InvalidOperationException>(() => thrower.Step(new float[n], new float[n], 1f, context));
        Assert.Contains("chunk at " + (2 * Chunk), error.Message, StringComparison.Ordinal);

        var recorder = new RecordingOptimizer(n, throwAtOffset: -1);
        recorder.Step(new float[n], new float[n], 1f, context);
        Assert.Equal(4, recorder.Ranges.Count);
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, the scalar twin gives {expected[i]:R}.");
            }
        }
    }

    private sealed class RecordingOptimizer(int parameterCount, int throwAtOffset) : Optimizer(parameterCount)
    {
        public ConcurrentBag<(int Offset, int Length)> Ranges { get; } = [];

        protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
        {
            if (offset == throwAtOffset)
            {
                throw new InvalidOperationException($"chunk at {offset}");
            }

            Ranges.Add((offset, parameters.Length));
        }
    }
}
