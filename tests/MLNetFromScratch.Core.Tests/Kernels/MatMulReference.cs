namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>
/// The naive twin of <c>MatMul</c> in double precision. Each result comes with Σ|terms|, the scale
/// of the rounding error a float accumulation over the same terms can make.
/// </summary>
internal static class MatMulReference
{
    public static (double[] Value, double[] Magnitude) Forward(float[] x, float[] w, float[] bias, int batch, int inputs, int outputs)
    {
        var value = new double[batch * outputs];
        var magnitude = new double[batch * outputs];
        for (int r = 0; r < batch; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias[o], abs = Math.Abs(bias[o]);
                for (int i = 0; i < inputs; i++)
                {
                    double t = (double)x[(r * inputs) + i] * w[(o * inputs) + i];
                    sum += t;
                    abs += Math.Abs(t);
                }

                value[(r * outputs) + o] = sum;
                magnitude[(r * outputs) + o] = abs;
            }
        }

        return (value, magnitude);
    }

    public static (double[] Value, double[] Magnitude) BackwardInput(float[] dy, float[] w, int batch, int inputs, int outputs)
    {
        var value = new double[batch * inputs];
        var magnitude = new double[batch * inputs];
        for (int r = 0; r < batch; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double sum = 0, abs = 0;
                for (int o = 0; o < outputs; o++)
                {
                    double t = (double)dy[(r * outputs) + o] * w[(o * inputs) + i];
                    sum += t;
                    abs += Math.Abs(t);
                }

                value[(r * inputs) + i] = sum;
                magnitude[(r * inputs) + i] = abs;
            }
        }

        return (value, magnitude);
    }

    public static (double[] Dw, double[] DwMagnitude, double[] Db, double[] DbMagnitude) BackwardWeights(
        float[] dy, float[] x, float scale, int batch, int inputs, int outputs)
    {
        var dw = new double[outputs * inputs];
        var dwAbs = new double[outputs * inputs];
        var db = new double[outputs];
        var dbAbs = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int r = 0; r < batch; r++)
            {
                double g = dy[(r * outputs) + o];
                db[o] += g * scale;
                dbAbs[o] += Math.Abs(g * scale);
                for (int i = 0; i < inputs; i++)
                {
                    double t = g * x[(r * inputs) + i] * scale;
                    dw[(o * inputs) + i] += t;
                    dwAbs[(o * inputs) + i] += Math.Abs(t);
                }
            }
        }

        return (dw, dwAbs, db, dbAbs);
    }

    /// <summary>Asserts |actual - expected| ≤ (terms + 4)·2⁻²³·Σ|terms| element by element.</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, double[] expected, double[] magnitude, int terms, string what)
    {
        double unit = (terms + 4) * Math.Pow(2, -23);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= (unit * magnitude[i]) + 1e-30))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (error {error:g3}, allowed {unit * magnitude[i]:g3}).");
            }
        }
    }

    /// <summary>Uniform values in [-1, 1) from a seeded generator.</summary>
    public static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
