using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Training;

/// <summary>
/// Computes the mean data loss and a metric of a network on a fixed data set, batch by batch through a
/// workspace, without dropout. The metric is accuracy for logistic and softmax heads and R² (over all
/// outputs, around the data's own means) for identity.
/// </summary>
public sealed class NetworkEvaluator
{
    private readonly NetworkShape _shape;
    private readonly TrainingData _data;
    private readonly NetworkWorkspace _workspace;
    private readonly double _totalVariance;

    /// <summary>Prepares to evaluate on <paramref name="data"/>, reusing <paramref name="workspace"/>'s buffers.</summary>
    public NetworkEvaluator(NetworkShape shape, TrainingData data, NetworkWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(workspace);
        _shape = shape;
        _data = data;
        _workspace = workspace;
        if (shape.Head == NetworkHead.Identity)
        {
            _totalVariance = TotalVariance(data);
        }
    }

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients): it runs every epoch.
    /// <summary>Returns (mean data loss, metric) of <paramref name="network"/> on the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Loss, double Metric) Evaluate(TwoLayerNetwork network, ComputeContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        int rows = _data.Rows, outputs = _shape.Outputs;
        double loss = 0, squaredError = 0;
        int correct = 0;
        for (int start = 0; start < rows; start += _workspace.Capacity)
        {
            int batch = Math.Min(_workspace.Capacity, rows - start);
            for (int r = 0; r < batch; r++)
            {
                _data.CopyFeatureRow(start + r, _workspace.Inputs.AsSpan(r * _shape.Inputs, _shape.Inputs));
                _data.CopyTargetRow(start + r, _workspace.Targets.AsSpan(r * outputs, outputs));
            }

            network.Forward(_workspace, batch, 0f, null, context);
            loss += network.Loss(_workspace, batch, gradient: false);
            ReadOnlySpan<float> a = _workspace.A2.AsSpan(0, batch * outputs);
            ReadOnlySpan<float> y = _workspace.Targets.AsSpan(0, batch * outputs);
            for (int r = 0; r < batch; r++)
            {
                ReadOnlySpan<float> ar = a.Slice(r * outputs, outputs), yr = y.Slice(r * outputs, outputs);
                switch (_shape.Head)
                {
                    case NetworkHead.Logistic:
                        correct += (ar[0] >= 0.5f) == (yr[0] >= 0.5f) ? 1 : 0;
                        break;
                    case NetworkHead.Softmax:
                        correct += ArgMax(ar) == ArgMax(yr) ? 1 : 0;
                        break;
                    default:
                        for (int k = 0; k < outputs; k++)
                        {
                            double d = ar[k] - yr[k];
                            squaredError += d * d;
                        }

                        break;
                }
            }
        }

        double metric = _shape.Head == NetworkHead.Identity
            ? 1.0 - (squaredError / Math.Max(_totalVariance, double.Epsilon))
            : (double)correct / rows;
        return (loss / rows, metric);
    }

    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    private static double TotalVariance(TrainingData data)
    {
        var means = new double[data.Outputs];
        var y = new float[data.Outputs];
        for (int r = 0; r < data.Rows; r++)
        {
            data.CopyTargetRow(r, y);
            for (int k = 0; k < means.Length; k++)
            {
                means[k] += y[k];
            }
        }

        for (int k = 0; k < means.Length; k++)
        {
            means[k] /= Math.Max(data.Rows, 1);
        }

        double total = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            data.CopyTargetRow(r, y);
            for (int k = 0; k < means.Length; k++)
            {
                double d = y[k] - means[k];
                total += d * d;
            }
        }

        return total;
    }
}
