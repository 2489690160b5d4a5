using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using Xunit.Abstractions;

namespace MLNetFromScratch.Core.Tests.Network;

public sealed class GradientCheckTests(ITestOutputHelper output)
{
    public static TheoryData<NetworkHead, Activation, float, float> Cases()
    {
        var data = new TheoryData<NetworkHead, Activation, float, float>();
        foreach (NetworkHead head in Enum.GetValues<NetworkHead>())
        {
            foreach (Activation activation in Enum.GetValues<Activation>())
            {
                data.Add(head, activation, 0f, 0f);
                data.Add(head, activation, 0.7f, 0.3f);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeGradients_AnyHeadActivationL2Dropout_MatchesCentralDifferencesInDouble(
        NetworkHead head, Activation activation, float lambda, float dropout)
    {
        const int Rows = 6;
        var shape = new NetworkShape(5, 4, head == NetworkHead.Logistic ? 1 : 3, activation, head);
        var rng = new Rng(42);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, rng);
        for (int i = 0; i < shape.ParameterCount; i++)
        {
            network.Parameters[i] += (float)(0.1 * rng.NextGaussian()); // biases away from zero too
        }

        var workspace = new NetworkWorkspace(shape, Rows);
        FillInputs(workspace, shape, Rows, rng);
        var gradients = new float[shape.ParameterCount];

        double cost = network.ComputeGradients(workspace, Rows, lambda, dropout, new Rng(7), gradients, ComputeContext.SingleThreaded);

        float[]? mask = dropout > 0 ? workspace.DropoutMask[..(Rows * shape.Hidden)] : null;
        float[] x = workspace.Inputs[..(Rows * shape.Inputs)];
        float[] y = workspace.Targets[..(Rows * shape.Outputs)];
        double[] p = network.Parameters.Select(v => (double)v).ToArray();
        Assert.Equal(ReferenceNetwork.Cost(shape, p, x, y, Rows, lambda, mask), cost, 1e-5);

        double worst = 0;
        const double H = 1e-6;
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + H;
            double plus = ReferenceNetwork.Cost(shape, p, x, y, Rows, lambda, mask);
            p[i] = saved - H;
            double minus = ReferenceNetwork.Cost(shape, p, x, y, Rows, lambda, mask);
            p[i] = saved;
            double numeric = (plus - minus) / (2 * H);
            double relative = Math.Abs(numeric - gradients[i]) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(gradients[i]));
            worst = Math.Max(worst, relative);
        }

        output.WriteLine($"{head}/{activation} λ={lambda} p={dropout}: worst relative error {worst:E2}");
        Assert.True(worst < 1e-3, $"worst relative error {worst:E2}");
    }

    private static void FillInputs(NetworkWorkspace workspace, NetworkShape shape, int rows, Rng rng)
    {
        for (int i = 0; i < rows * shape.Inputs; i++)
        {
            workspace.Inputs[i] = (float)rng.NextGaussian();
        }

        for (int r = 0; r < rows; r++)
        {
            Span<float> y = workspace.Targets.AsSpan(r * shape.Outputs, shape.Outputs);
            switch (shape.Head)
            {
                case NetworkHead.Logistic:
                    y[0] = r % 2;
                    break;
                case NetworkHead.Softmax:
                    y.Clear();
                    y[r % shape.Outputs] = 1f;
                    break;
                default:
                    for (int k = 0; k < y.Length; k++)
                    {
                        y[k] = (float)rng.NextGaussian();
                    }

                    break;
            }
        }
    }
}
