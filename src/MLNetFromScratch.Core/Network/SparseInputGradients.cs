using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Network;

/// <summary>
/// <see cref="TwoLayerNetwork.ComputeGradients"/> for inputs that are mostly zeros (pixels, one-hot codes): the first
/// layer's products skip the zeros, Z1[r, :] = b1 + Σ_{i: x[r,i] ≠ 0} x[r, i]·W1ᵀ[i, :] and
/// dW1ᵀ[i, :] = (1/m) Σ_{r: x[r,i] ≠ 0} x[r, i]·dZ1[r, :], so they cost in proportion to the non-zeros, not to
/// rows × inputs. The rest of the pass is the dense one.
/// </summary>
/// <remarks>
/// Those products want W1 transposed, (inputs, hidden), so this keeps the parameters in its own buffer laid out
/// [W1ᵀ | b1 | W2 | b2] (same offsets and length as <see cref="TwoLayerNetwork.Parameters"/>, only the W1 block
/// transposed) and writes gradients in that layout. An elementwise optimizer steps that buffer exactly as it would
/// the usual one; <see cref="CopyTo"/> puts the weights back in the usual layout. That buffer and this object's dZ1
/// (which the step writes instead of <see cref="NetworkWorkspace.DZ1"/>) live in pinned memory, W1ᵀ and dZ1 each
/// starting on a 64-byte cache line, where the sparse kernels read them in place (they copy an operand that is not on
/// a line, at every step). The sums run in another order than the dense kernels', so the gradients agree with
/// <see cref="TwoLayerNetwork.ComputeGradients"/> to rounding, not to the bit; they are the same bits for any thread
/// count. A step allocates nothing.
/// </remarks>
public sealed partial class SparseInputGradients
{
    private readonly SparseRows _inputs;
    private readonly SparseColumns _columns;
    private readonly int _batchCapacity;

    // Pinned, never moves: [padding | parameters, W1ᵀ on a line | padding | dZ1 (batch, hidden), on a line].
    private readonly float[] _pinned;
    private readonly int _parametersAt;
    private readonly int _dz1At;

    /// <summary>Prepares steps over rows of <paramref name="inputs"/> in batches of up to <paramref name="batchCapacity"/> rows.</summary>
    /// <exception cref="ArgumentException">When the inputs have another column count than the shape's inputs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchCapacity"/> is below 1.</exception>
    public SparseInputGradients(NetworkShape shape, SparseRows inputs, int batchCapacity)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchCapacity, 1);
        if (inputs.Columns != shape.Inputs)
        {
            throw new ArgumentException($"The inputs have {inputs.Columns} columns; the network expects {shape.Inputs}.", nameof(inputs));
        }

        Shape = shape;
        _inputs = inputs;
        _batchCapacity = batchCapacity;
        _columns = new SparseColumns(shape.Inputs, checked(batchCapacity * inputs.MaxRowLength));
        const int LineFloats = 16;
        int dz1Length = checked(batchCapacity * shape.Hidden);
        _pinned = GC.AllocateArray<float>(checked(shape.ParameterCount + dz1Length + (3 * LineFloats)), pinned: true);
        _parametersAt = LineAt(shape.W1Offset) - shape.W1Offset;
        _dz1At = LineAt(_parametersAt + shape.ParameterCount);

        // The first element at or after `at` of the pinned array that starts a 64-byte line.
        unsafe int LineAt(int at)
        {
            nint address = (nint)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pinned), at));
            return at + (int)((-address & 63) / sizeof(float));
        }
    }

    /// <summary>The network's sizes.</summary>
    public NetworkShape Shape { get; }

    /// <summary>
    /// [W1ᵀ | b1 | W2 | b2]: the parameters the steps use and an optimizer updates (<see cref="NetworkShape.ParameterCount"/>
    /// floats, at <see cref="TwoLayerNetwork.Parameters"/>' offsets). A view of pinned memory owned by this object, W1ᵀ
    /// starting on a 64-byte cache line.
    /// </summary>
    public Span<float> Parameters => _pinned.AsSpan(_parametersAt, Shape.ParameterCount);

    /// <summary>dZ1 of the last step, (batch, hidden) in the first rows: what the step writes in place of <see cref="NetworkWorkspace.DZ1"/>.</summary>
    internal Span<float> DZ1 => _pinned.AsSpan(_dz1At, _batchCapacity * Shape.Hidden);

    /// <summary>Takes the parameters of <paramref name="network"/> (usual layout) into <see cref="Parameters"/>.</summary>
    public void CopyFrom(TwoLayerNetwork network)
    {
        CheckNetwork(network);
        NetworkShape s = Shape;
        Transpose(Parameters.Slice(s.W1Offset, s.W1Length), network.W1, s.Hidden, s.Inputs);
        network.Parameters.AsSpan(s.B1Offset).CopyTo(Parameters[s.B1Offset..]);
    }

    /// <summary>Puts <see cref="Parameters"/> back into <paramref name="network"/> in its usual layout.</summary>
    public void CopyTo(TwoLayerNetwork network)
    {
        CheckNetwork(network);
        NetworkShape s = Shape;
        Transpose(network.Parameters.AsSpan(s.W1Offset, s.W1Length), Parameters.Slice(s.W1Offset, s.W1Length), s.Inputs, s.Hidden);
        Parameters[s.B1Offset..].CopyTo(network.Parameters.AsSpan(s.B1Offset));
    }

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>
    /// One forward and backward pass over rows <paramref name="rows"/> of the inputs, whose targets the caller has put
    /// in <see cref="NetworkWorkspace.Targets"/> in the same order: returns the cost and writes its gradient, laid out
    /// as <see cref="Parameters"/>, into <paramref name="gradients"/>. See <see cref="TwoLayerNetwork.ComputeGradients"/>
    /// for the cost and the other arguments.
    /// </summary>
    /// <exception cref="ArgumentException">When a buffer does not fit, or a row is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the batch is empty or larger than the workspace.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ComputeGradients(
        NetworkWorkspace workspace, ReadOnlySpan<int> rows, float l2, float dropoutRate, Rng? rng, Span<float> gradients,
        ComputeContext? context = null) =>
        Pass(workspace, rows, l2, dropoutRate, rng, gradients, null, 0f, context);

    // ComputeGradients, and with an optimizer its step fused in (see ComputeGradientsAndStep).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double Pass(
        NetworkWorkspace workspace, ReadOnlySpan<int> rows, float l2, float dropoutRate, Rng? rng, Span<float> gradients,
        Optimizer? optimizer, float learningRate, ComputeContext? context)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        NetworkShape s = Shape;
        int batch = rows.Length;
        if (workspace.Shape != s)
        {
            throw new ArgumentException("The workspace was made for another network shape.", nameof(workspace));
        }

        int capacity = Math.Min(workspace.Capacity, _batchCapacity);
        if (batch < 1 || batch > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), batch, $"The batch must hold 1 to {capacity} rows.");
        }

        if (gradients.Length != s.ParameterCount)
        {
            throw new ArgumentException($"Expected {s.ParameterCount} gradients, got {gradients.Length}.", nameof(gradients));
        }

        ReadOnlySpan<float> parameters = Parameters;
        ReadOnlySpan<float> w1T = parameters.Slice(s.W1Offset, s.W1Length);
        ReadOnlySpan<float> w2 = parameters.Slice(s.W2Offset, s.W2Length);
        Span<float> dz1 = DZ1[..(batch * s.Hidden)];
        MatMul.SparseForward(workspace.Z1.AsSpan(0, batch * s.Hidden), _inputs, rows, w1T, parameters.Slice(s.B1Offset, s.Hidden), s.Hidden, context);

        // The rows are checked by now; the two parts of their regrouping by column run alongside the rest of the
        // forward and backward pass, row block by row block, down to dZ1.
        context ??= ComputeContext.Default;
        _columns.BeginBuild(_inputs, rows, split: context.MaxDegreeOfParallelism > 1);
        TwoLayerNetwork.DrawDropoutMask(s, workspace, batch, dropoutRate, rng);
        bool dropout = dropoutRate > 0f;
        fixed (int* pr = rows)
        {
            var job = new StepJob(this, workspace, pr, batch, dropout);

            // The job lives on this stack frame, which stays put until Run returns, so the helpers may hold its address.
            context.Run(SparseColumns.PartCount + TwoLayerNetwork.BlockCount(batch), &RunChunk, Unsafe.AsPointer(ref job));
            if (job.Error is not null)
            {
                ExceptionDispatchInfo.Throw(job.Error);
            }
        }

        if (optimizer is not null)
        {
            return FinishStep(workspace, batch, dropout, l2, gradients, optimizer, learningRate, context);
        }

        double cost = TwoLayerNetwork.FinishRows(s, workspace, batch, dropout, gradients, context) / batch;
        MatMul.SparseBackwardWeights(
            gradients.Slice(s.W1Offset, s.W1Length), gradients.Slice(s.B1Offset, s.Hidden), _columns,
            dz1, 1f / batch, s.Hidden, context);

        if (l2 > 0f)
        {
            // One sweep a layer, as in the dense pass.
            float decay = l2 / batch;
            double squares = VectorKernels.AddScaledSumOfSquares(gradients.Slice(s.W1Offset, s.W1Length), w1T, decay, context)
                + VectorKernels.AddScaledSumOfSquares(gradients.Slice(s.W2Offset, s.W2Length), w2, decay, context);
            cost += l2 / (2.0 * batch) * squares;
        }

        return cost;
    }

    // One chunk of the step's parallel part: first the two parts of the regrouping by column (the longest chunks, so that
    // the row blocks even out the threads' loads at the end), then the row blocks from Z1 down to dZ1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunChunk(void* state, int chunk)
    {
        ref StepJob job = ref Unsafe.AsRef<StepJob>(state);
        try
        {
            SparseInputGradients self = job.Self;
            if (chunk < SparseColumns.PartCount)
            {
                self._columns.BuildPart(self._inputs, new ReadOnlySpan<int>(job.Rows, job.Batch), chunk);
                return;
            }

            NetworkShape s = self.Shape;
            ReadOnlySpan<float> parameters = self.Parameters;
            TwoLayerNetwork.ForwardBackwardBlock(
                s, job.Workspace, chunk - SparseColumns.PartCount, job.Batch, job.Dropout,
                parameters.Slice(s.W2Offset, s.W2Length), parameters.Slice(s.B2Offset, s.Outputs),
                self.DZ1);
        }
        catch (Exception e) // a chunk must never throw on a helper thread: the step rethrows on the caller
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    private void CheckNetwork(TwoLayerNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Shape != Shape)
        {
            throw new ArgumentException("The network has another shape.", nameof(network));
        }
    }

    private unsafe struct StepJob(SparseInputGradients self, NetworkWorkspace workspace, int* rows, int batch, bool dropout)
    {
        public readonly SparseInputGradients Self = self;
        public readonly NetworkWorkspace Workspace = workspace;
        public readonly int* Rows = rows;
        public readonly int Batch = batch;
        public readonly bool Dropout = dropout;
        public Exception? Error;
    }

    // destination[c·rows + r] = source[r·columns + c], in 16 × 16 blocks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(Span<float> destination, ReadOnlySpan<float> source, int rows, int columns)
    {
        const int Block = 16;
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int r1 = Math.Min(r0 + Block, rows);
            for (int c0 = 0; c0 < columns; c0 += Block)
            {
                int c1 = Math.Min(c0 + Block, columns);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++)
                    {
                        destination[(c * rows) + r] = source[(r * columns) + c];
                    }
                }
            }
        }
    }
}
