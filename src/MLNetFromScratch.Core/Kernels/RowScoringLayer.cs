using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// A dense layer y = W·x + b packed for scoring one row at a time: y[o] = fma-chain(x, W[o, :]) + b[o], where the
/// chain is a ← fma(x[i], W[o, i], a) over the inputs i in ascending order starting from a = +0, and the bias is
/// added once at the end. Only the non-zero inputs are visited: z = Σ_{i: x[i] ≠ 0} x[i]·Wᵀ[i, :].
/// </summary>
/// <remarks>
/// <para>
/// Layout: Wᵀ (inputs, outputs), cut by outputs into panels 64, 32, 16 or 8 wide (the outputs rounded up to a
/// multiple of 8, the padding columns zero); each panel is an (inputs, width) row-major block, so what input i adds to
/// the panel's outputs is one contiguous row. A row is scored panel by panel, the panel's outputs held in up to 8
/// vector registers, reading only the panel rows of the row's non-zero inputs. A single row against a large W is
/// bound by reading W; a row that is 80% zeros (MNIST pixels, one-hot features) reads a fifth of it.
/// </para>
/// <para>
/// Memory: the layer holds its own copy of W and b (outputs rounded up to a multiple of 8), on the pinned heap,
/// 64-byte aligned: one more copy of the weights than the network that made it.
/// </para>
/// <para>
/// Skipping zeros changes no bit of y[o] unless b[o] is −0. A zero term, fma(±0, w, a), returns a exactly for finite w
/// unless a is −0 (it may give +0); the chain starts at +0 and holds −0 only after a step whose exact result was negative
/// and rounded to zero (smaller than 2⁻¹⁵⁰ in magnitude: subnormal products). So the skipping and the full chain differ at most in the sign of a zero running sum, which the
/// bias add removes (±0 + b = b for b ≠ 0, and ±0 + (+0) = +0). This holds for every x: ±0, subnormal, NaN and
/// infinite features included. When W holds a non-finite weight (where 0·w would be NaN), the layer visits every
/// input, so the result is the full chain for every W too.
/// </para>
/// <para>
/// The bits depend only on x, W and b: not on the thread, on how sparse x is, or on the CPU (the scalar fallback
/// without AVX2 and FMA runs the same fused chains). They differ in the last bits from <see cref="MatMul.Forward"/>,
/// which sums 8 interleaved partial chains per output. Immutable and thread-safe; <see cref="Forward"/> allocates nothing.
/// </para>
/// </remarks>
public sealed unsafe class RowScoringLayer
{
    // Inputs gathered per pass; a row with more inputs is scored in chunks of this many.
    private const int ChunkInputs = 1024;
    private const int Lanes = 8;
    private const int MaxPanelWidth = 64;

    // Entry m: the positions of the set bits of the byte m, one per byte, in ascending order.
    private static readonly ulong[] s_leftPack = LeftPackTable();

    private readonly float[] _storage; // pinned: [panels | bias], both padded
    private readonly float* _panels;
    private readonly float* _bias;
    private readonly int _paddedOutputs;
    private readonly bool _skipZeros;

    /// <summary>Packs W and b; the layer keeps no reference to them.</summary>
    /// <param name="weights">W: (outputs, inputs), row-major.</param>
    /// <param name="bias">b: (outputs).</param>
    /// <param name="inputs">Columns of W.</param>
    /// <param name="outputs">Rows of W.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="inputs"/> or <paramref name="outputs"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    public RowScoringLayer(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int outputs)
        : this(weights, bias, inputs, outputs, skipZeros: true)
    {
    }

    /// <summary>As the public constructor; <paramref name="skipZeros"/> = false visits every input (for tests).</summary>
    internal RowScoringLayer(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int outputs, bool skipZeros)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (weights.Length < (long)inputs * outputs)
        {
            throw new ArgumentException($"Needs at least {(long)inputs * outputs} weights ({outputs} × {inputs}), has {weights.Length}.", nameof(weights));
        }

        if (bias.Length < outputs)
        {
            throw new ArgumentException($"Needs {outputs} biases, has {bias.Length}.", nameof(bias));
        }

        Inputs = inputs;
        Outputs = outputs;
        _paddedOutputs = (outputs + Lanes - 1) / Lanes * Lanes;
        long panelLength = (long)_paddedOutputs * inputs;
        const int AlignFloats = 16;
        _storage = GC.AllocateArray<float>(checked((int)(panelLength + _paddedOutputs + AlignFloats)), pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _panels = start + ((64 - ((nint)start & 63)) & 63) / sizeof(float);
        _bias = _panels + panelLength;

        bool finite = true;
        for (int c0 = 0, width; c0 < _paddedOutputs; c0 += width)
        {
            width = PanelWidth(c0);
            float* panel = _panels + ((nint)c0 * inputs);
            for (int o = c0; o < Math.Min(c0 + width, outputs); o++)
            {
                ReadOnlySpan<float> row = weights.Slice(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    panel[((nint)i * width) + (o - c0)] = row[i];
                    finite &= float.IsFinite(row[i]);
                }
            }
        }

        bias[..outputs].CopyTo(new Span<float>(_bias, outputs));
        _skipZeros = skipZeros && finite;
    }

    /// <summary>Length of x.</summary>
    public int Inputs { get; }

    /// <summary>Length of y.</summary>
    public int Outputs { get; }

    private static bool UseSimd => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>y = W·x + b for one row (see the class summary for the exact order of operations).</summary>
    /// <param name="y">Output, (outputs); its first <see cref="Outputs"/> values are overwritten.</param>
    /// <param name="x">Input, (inputs).</param>
    /// <exception cref="ArgumentException">When x does not hold <see cref="Inputs"/> values or y is shorter than <see cref="Outputs"/>.</exception>
    public void Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        if (x.Length != Inputs)
        {
            throw new ArgumentException($"The layer has {Inputs} inputs; x holds {x.Length}.", nameof(x));
        }

        if (y.Length < Outputs)
        {
            throw new ArgumentException($"The layer has {Outputs} outputs; y holds {y.Length}.", nameof(y));
        }

        fixed (float* px = x, py = y)
        {
            if (UseSimd)
            {
                SimdForward(py, px);
            }
            else
            {
                ScalarForward(py, px);
            }
        }
    }

    /// <summary><see cref="Forward"/> on the scalar fallback whatever the CPU, for tests; no argument checks.</summary>
    internal void ForwardScalar(Span<float> y, ReadOnlySpan<float> x)
    {
        fixed (float* px = x, py = y)
        {
            ScalarForward(py, px);
        }
    }

    // 64 while at least 64 outputs remain, then the largest of 32, 16, 8 that fits.
    private int PanelWidth(int c0)
    {
        int remaining = _paddedOutputs - c0;
        return remaining >= MaxPanelWidth ? MaxPanelWidth : (int)BitOperations.RoundUpToPowerOf2((uint)remaining + 1) / 2;
    }

    [SkipLocalsInit]
    private void SimdForward(float* y, float* x)
    {
        int inputs = Inputs;
        int* index = stackalloc int[Math.Min(inputs, ChunkInputs) + Lanes]; // + Lanes: Gather stores 8 at a time
        Vector256<float>* sums = stackalloc Vector256<float>[MaxPanelWidth / Lanes];
        bool oneChunk = inputs <= ChunkInputs;
        int count = oneChunk ? Gather(index, x, 0, inputs) : 0;
        for (int c0 = 0, width; c0 < _paddedOutputs; c0 += width)
        {
            width = PanelWidth(c0);
            float* panel = _panels + ((nint)c0 * inputs);
            int vectors = width / Lanes;
            for (int v = 0; v < vectors; v++)
            {
                sums[v] = Vector256<float>.Zero;
            }

            if (oneChunk)
            {
                Accumulate(sums, vectors, panel, x, index, count);
            }
            else
            {
                for (int start = 0; start < inputs; start += ChunkInputs)
                {
                    int n = Gather(index, x, start, Math.Min(start + ChunkInputs, inputs));
                    Accumulate(sums, vectors, panel, x, index, n);
                }
            }

            for (int v = 0; v < vectors; v++)
            {
                int o = c0 + (v * Lanes);
                Vector256<float> result = sums[v] + Vector256.Load(_bias + o);
                if (o + Lanes <= Outputs)
                {
                    result.Store(y + o);
                }
                else
                {
                    for (int lane = 0; o + lane < Outputs; lane++)
                    {
                        y[o + lane] = result.GetElement(lane);
                    }
                }
            }
        }
    }

    private static ulong[] LeftPackTable()
    {
        var table = new ulong[256];
        for (int mask = 0; mask < 256; mask++)
        {
            int count = 0;
            for (int bit = 0; bit < 8; bit++)
            {
                if ((mask & (1 << bit)) != 0)
                {
                    table[mask] |= (ulong)bit << (8 * count++);
                }
            }
        }

        return table;
    }

    // index[0..n) = the inputs i in [start, end) that are not ±0 (NaN counts as non-zero), ascending; all of them when
    // the layer does not skip zeros. May write up to 8 values past index[n).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Gather(int* index, float* x, int start, int end)
    {
        int n = 0, i = start;
        if (!_skipZeros)
        {
            for (; i < end; i++)
            {
                index[n++] = i;
            }

            return n;
        }

        // Branch-free left-packing: the positions of a block's non-zero lanes, from a table indexed by the block's
        // mask, are stored as 8 indices at once; the count advances by the number of non-zero lanes.
        fixed (ulong* table = s_leftPack)
        {
            for (; i + Lanes <= end; i += Lanes)
            {
                uint nonZero = ~Vector256.Equals(Vector256.Load(x + i), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFF;
                Vector256<int> lanes = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(table[nonZero]).AsByte());
                (lanes + Vector256.Create(i)).Store(index + n);
                n += BitOperations.PopCount(nonZero);
            }
        }

        for (; i < end; i++)
        {
            if (x[i] != 0f)
            {
                index[n++] = i;
            }
        }

        return n;
    }

    private static void Accumulate(Vector256<float>* sums, int vectors, float* panel, float* x, int* index, int count)
    {
        switch (vectors)
        {
            case 8:
                Accumulate8(sums, panel, x, index, count);
                break;
            case 4:
                Accumulate4(sums, panel, x, index, count);
                break;
            case 2:
                Accumulate2(sums, panel, x, index, count);
                break;
            default:
                Accumulate1(sums, panel, x, index, count);
                break;
        }
    }

    // sums[0..8) ← fma(x[i], panel row i, sums) for the listed inputs, in order; rows are 64 wide.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate8(Vector256<float>* sums, float* panel, float* x, int* index, int count)
    {
        Vector256<float> s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], s4 = sums[4], s5 = sums[5], s6 = sums[6], s7 = sums[7];
        for (int n = 0; n < count; n++)
        {
            int i = index[n];
            Vector256<float> xi = Vector256.Create(x[i]);
            float* w = panel + ((nint)i * 64);
            s0 = Fma.MultiplyAdd(xi, Vector256.Load(w), s0);
            s1 = Fma.MultiplyAdd(xi, Vector256.Load(w + 8), s1);
            s2 = Fma.MultiplyAdd(xi, Vector256.Load(w + 16), s2);
            s3 = Fma.MultiplyAdd(xi, Vector256.Load(w + 24), s3);
            s4 = Fma.MultiplyAdd(xi, Vector256.Load(w + 32), s4);
            s5 = Fma.MultiplyAdd(xi, Vector256.Load(w + 40), s5);
            s6 = Fma.MultiplyAdd(xi, Vector256.Load(w + 48), s6);
            s7 = Fma.MultiplyAdd(xi, Vector256.Load(w + 56), s7);
        }

        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        sums[4] = s4;
        sums[5] = s5;
        sums[6] = s6;
        sums[7] = s7;
    }

    // As Accumulate8 for a 32-wide panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate4(Vector256<float>* sums, float* panel, float* x, int* index, int count)
    {
        Vector256<float> s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3];
        for (int n = 0; n < count; n++)
        {
            int i = index[n];
            Vector256<float> xi = Vector256.Create(x[i]);
            float* w = panel + ((nint)i * 32);
            s0 = Fma.MultiplyAdd(xi, Vector256.Load(w), s0);
            s1 = Fma.MultiplyAdd(xi, Vector256.Load(w + 8), s1);
            s2 = Fma.MultiplyAdd(xi, Vector256.Load(w + 16), s2);
            s3 = Fma.MultiplyAdd(xi, Vector256.Load(w + 24), s3);
        }

        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    // As Accumulate8 for a 16-wide panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate2(Vector256<float>* sums, float* panel, float* x, int* index, int count)
    {
        Vector256<float> s0 = sums[0], s1 = sums[1];
        for (int n = 0; n < count; n++)
        {
            int i = index[n];
            Vector256<float> xi = Vector256.Create(x[i]);
            float* w = panel + ((nint)i * 16);
            s0 = Fma.MultiplyAdd(xi, Vector256.Load(w), s0);
            s1 = Fma.MultiplyAdd(xi, Vector256.Load(w + 8), s1);
        }

        sums[0] = s0;
        sums[1] = s1;
    }

    // As Accumulate8 for an 8-wide panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate1(Vector256<float>* sums, float* panel, float* x, int* index, int count)
    {
        Vector256<float> s0 = sums[0];
        for (int n = 0; n < count; n++)
        {
            int i = index[n];
            s0 = Fma.MultiplyAdd(Vector256.Create(x[i]), Vector256.Load(panel + ((nint)i * 8)), s0);
        }

        sums[0] = s0;
    }

    // The same chains one output at a time, skipping the same inputs.
    private void ScalarForward(float* y, float* x)
    {
        int inputs = Inputs;
        for (int c0 = 0, width; c0 < _paddedOutputs; c0 += width)
        {
            width = PanelWidth(c0);
            float* panel = _panels + ((nint)c0 * inputs);
            for (int o = c0; o < Math.Min(c0 + width, Outputs); o++)
            {
                float sum = 0f;
                for (int i = 0; i < inputs; i++)
                {
                    if (x[i] != 0f || !_skipZeros)
                    {
                        sum = MathF.FusedMultiplyAdd(x[i], panel[((nint)i * width) + (o - c0)], sum);
                    }
                }

                y[o] = sum + _bias[o];
            }
        }
    }
}
