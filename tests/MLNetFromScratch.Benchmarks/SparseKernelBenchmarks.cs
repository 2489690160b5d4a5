using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The two sparse first-layer kernels of the MNIST network (784 inputs, 128 hidden, batch 128) on rows shaped like
/// MNIST's: pixels k/255 (byte-coded), about 150 non-zeros a row, dense in the middle of the 28 × 28 image and empty at
/// its border, rows of different lengths. Each call takes the next batch of a shuffled order over a pool of 16,384 rows
/// (27 KB of entries a batch out of 7 MB), so the rows arrive cold, as in training. The weight gradient reads its batch
/// regrouped by column, built in the setup for 64 batches in turn, so the regrouping is not timed. The rows are held
/// in the form the builder picks for MNIST, a byte gap and a byte code an entry (IndexBytes 1), or, with one more row
/// (never in a batch) whose non-zeros are 783 columns apart, with ushort columns and byte codes (IndexBytes 2).
/// </summary>
[MemoryDiagnoser]
public class SparseKernelBenchmarks
{
    private const int Batch = 128, Pool = 16_384, Side = 28, Inputs = Side * Side, Hidden = 128, Prebuilt = 64;
    private SparseRows _x = null!;
    private SparseColumns[] _columns = [];
    private float[] _wT = [], _bias = [], _z1 = [], _dz1 = [], _dwT = [], _db = [];
    private int[] _order = [];
    private int _next;
    private ComputeContext _context = ComputeContext.SingleThreaded;

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Bytes of an entry's column: 1 (gaps), 2 (ushort columns).</summary>
    [Params(1, 2)]
    public int IndexBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var dense = new float[(Pool + 1) * Inputs];
        for (int r = 0; r < Pool; r++)
        {
            double radius = 7 + (random.NextDouble() * 5);
            for (int i = 0; i < Inputs; i++)
            {
                double dx = (i % Side) - 13.5, dy = (i / Side) - 13.5;
                if ((dx * dx) + (dy * dy) < radius * radius && random.NextDouble() < 0.5)
                {
                    dense[(r * Inputs) + i] = random.Next(1, 256) / 255f;
                }
            }
        }

        if (IndexBytes == 2)
        {
            dense[Pool * Inputs] = 1f;
            dense[(Pool * Inputs) + Inputs - 1] = 1f;
        }

        _x = SparseRows.FromDense(dense, Pool + 1, Inputs);
        if (_x.IndexBytes != IndexBytes)
        {
            throw new InvalidOperationException($"The rows are held with {_x.IndexBytes}-byte columns, not {IndexBytes}.");
        }

        _order = [.. Enumerable.Range(0, Pool).OrderBy(_ => random.Next())];
        _columns = new SparseColumns[Prebuilt];
        for (int b = 0; b < Prebuilt; b++)
        {
            _columns[b] = new SparseColumns(Inputs, Batch * _x.MaxRowLength);
            _columns[b].Build(_x, _order.AsSpan(b * Batch, Batch));
        }

        _wT = Random(random, Inputs * Hidden);
        _bias = Random(random, Hidden);
        _z1 = new float[Batch * Hidden];
        _dz1 = Random(random, Batch * Hidden);
        _dwT = new float[Inputs * Hidden];
        _db = new float[Hidden];
        _context = new ComputeContext(Threads);
    }

    /// <summary>Z1 = X·W1ᵀ + b1 for the next batch of rows.</summary>
    [Benchmark]
    public void SparseForward()
    {
        _next = (_next + 1) % (Pool / Batch);
        MatMul.SparseForward(_z1, _x, _order.AsSpan(_next * Batch, Batch), _wT, _bias, Hidden, _context);
    }

    /// <summary>dW1ᵀ and db1 for the next prebuilt batch.</summary>
    [Benchmark]
    public void SparseBackwardWeights()
    {
        _next = (_next + 1) % Prebuilt;
        MatMul.SparseBackwardWeights(_dwT, _db, _columns[_next], _dz1, 1f / Batch, Hidden, _context);
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * 0.05f;
        }

        return values;
    }
}
