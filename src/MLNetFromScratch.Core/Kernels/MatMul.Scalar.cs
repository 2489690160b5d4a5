namespace MLNetFromScratch.Core.Kernels;

// Plain loops for machines without AVX2 and FMA: the reference semantics, one thread.
public static partial class MatMul
{
    internal static void ScalarForward(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        int batch, int inputs, int outputs)
    {
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                ReadOnlySpan<float> wo = w.Slice(o * inputs, inputs);
                float sum = bias[o];
                for (int i = 0; i < inputs; i++)
                {
                    sum += xr[i] * wo[i];
                }

                y[(r * outputs) + o] = sum;
            }
        }
    }

    internal static void ScalarBackwardInput(
        Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, int batch, int inputs, int outputs)
    {
        dx[..(batch * inputs)].Clear();
        for (int r = 0; r < batch; r++)
        {
            Span<float> dxr = dx.Slice(r * inputs, inputs);
            for (int o = 0; o < outputs; o++)
            {
                float g = dy[(r * outputs) + o];
                ReadOnlySpan<float> wo = w.Slice(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    dxr[i] += g * wo[i];
                }
            }
        }
    }

    internal static void ScalarBackwardWeights(
        Span<float> dw, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float scale,
        int batch, int inputs, int outputs)
    {
        for (int o = 0; o < outputs; o++)
        {
            Span<float> dwo = dw.Slice(o * inputs, inputs);
            dwo.Clear();
            float bsum = 0;
            for (int r = 0; r < batch; r++)
            {
                float g = dy[(r * outputs) + o];
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
