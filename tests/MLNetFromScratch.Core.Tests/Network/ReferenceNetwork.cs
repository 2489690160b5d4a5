using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Tests.Network;

/// <summary>
/// The cost of the two-layer network written out naively in double precision, straight from the
/// tutorial's formulas: the independent reference the analytic gradients are checked against.
/// </summary>
internal static class ReferenceNetwork
{
    public static double Cost(
        NetworkShape s, double[] p, float[] x, float[] y, int m, double lambda, float[]? mask)
    {
        double total = 0;
        var h = new double[s.Hidden];
        var z2 = new double[s.Outputs];
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < s.Hidden; j++)
            {
                double z = p[s.B1Offset + j];
                for (int i = 0; i < s.Inputs; i++)
                {
                    z += p[s.W1Offset + (j * s.Inputs) + i] * x[(r * s.Inputs) + i];
                }

                double a = s.HiddenActivation switch
                {
                    Activation.Relu => Math.Max(z, 0),
                    Activation.Tanh => Math.Tanh(z),
                    _ => 1 / (1 + Math.Exp(-z)),
                };
                h[j] = mask is null ? a : a * mask[(r * s.Hidden) + j];
            }

            for (int k = 0; k < s.Outputs; k++)
            {
                double z = p[s.B2Offset + k];
                for (int j = 0; j < s.Hidden; j++)
                {
                    z += p[s.W2Offset + (k * s.Hidden) + j] * h[j];
                }

                z2[k] = z;
            }

            total += s.Head switch
            {
                NetworkHead.Logistic => LogisticLoss(z2[0], y[r]),
                NetworkHead.Softmax => SoftmaxLoss(z2, y.AsSpan(r * s.Outputs, s.Outputs)),
                _ => Enumerable.Range(0, s.Outputs).Sum(k => 0.5 * Math.Pow(z2[k] - y[(r * s.Outputs) + k], 2)),
            };
        }

        double squares = 0;
        for (int i = 0; i < s.W1Length; i++)
        {
            squares += p[s.W1Offset + i] * p[s.W1Offset + i];
        }

        for (int i = 0; i < s.W2Length; i++)
        {
            squares += p[s.W2Offset + i] * p[s.W2Offset + i];
        }

        return (total / m) + (lambda / (2 * m) * squares);
    }

    private static double LogisticLoss(double z, double y)
    {
        double prob = 1 / (1 + Math.Exp(-z));
        return -((y * Math.Log(prob)) + ((1 - y) * Math.Log(1 - prob)));
    }

    private static double SoftmaxLoss(double[] z, ReadOnlySpan<float> y)
    {
        double sum = z.Sum(Math.Exp);
        double loss = 0;
        for (int k = 0; k < z.Length; k++)
        {
            loss -= y[k] * Math.Log(Math.Exp(z[k]) / sum);
        }

        return loss;
    }
}
