namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, forward and backward. All matrices are row-major.
/// </summary>
public static class MatMul
{
    /// <summary>y = x·wᵀ + b.</summary>
    /// <remarks>x: (batch, inputs); w: (outputs, inputs); bias: (outputs); y: (batch, outputs).</remarks>
    public static void Forward(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        _ = context;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                ReadOnlySpan<float> wo = w.Slice(o * inputs, inputs);
                float sum = 0;
                for (int i = 0; i < inputs; i++)
                {
                    sum += xr[i] * wo[i];
                }

                y[r * outputs + o] = sum + bias[o];
            }
        }
    }

    /// <summary>dx = dy·w.</summary>
    /// <remarks>dy: (batch, outputs); w: (outputs, inputs); dx: (batch, inputs).</remarks>
    public static void BackwardInput(
        Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        _ = context;
        dx[..(batch * inputs)].Clear();
        for (int r = 0; r < batch; r++)
        {
            Span<float> dxr = dx.Slice(r * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                float g = dy[r * outputs + o];
                ReadOnlySpan<float> wo = w.Slice(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    dxr[i] += g * wo[i];
                }
            }
        }
    }

    /// <summary>dw = scale·dyᵀ·x and db = scale·Σ_rows dy (overwritten, not accumulated).</summary>
    /// <remarks>dy: (batch, outputs); x: (batch, inputs); dw: (outputs, inputs); db: (outputs).</remarks>
    public static void BackwardWeights(
        Span<float> dw, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float scale,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        _ = context;
        for (int o = 0; o < outputs; o++)
        {
            Span<float> dwo = dw.Slice(o * inputs, inputs);
            dwo.Clear();
            float bsum = 0;
            for (int r = 0; r < batch; r++)
            {
                float g = dy[r * outputs + o];
                bsum += g;
                ReadOnlySpan<float> xr = x.Slice(r * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    dwo[i] += g * xr[i];
                }
            }

            for (int i = 0; i < inputs; i++)
            {
                dwo[i] *= scale;
            }

            db[o] = bsum * scale;
        }
    }
}
