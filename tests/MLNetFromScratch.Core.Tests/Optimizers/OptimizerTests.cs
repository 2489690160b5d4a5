using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Tests.Optimizers;

public sealed class OptimizerTests
{
    [Fact]
    public void Adam_FirstStep_MovesEachParameterByLearningRateAgainstTheGradientSign()
    {
        // With m̂ = g and v̂ = g² after bias correction, the first step is η·g/(|g| + ε) ≈ η·sign(g).
        var adam = new AdamOptimizer(3, 0.9f, 0.999f, 1e-8f);
        float[] p = [1f, 1f, 1f];
        adam.Step(p, [0.5f, -2f, 1e-3f], 0.1f);
        Assert.Equal(0.9f, p[0], 1e-5f);
        Assert.Equal(1.1f, p[1], 1e-5f);
        Assert.Equal(0.9f, p[2], 1e-4f);
    }

    [Fact]
    public void Adam_TwoSteps_MatchesAlgorithmOneInDouble()
    {
        var adam = new AdamOptimizer(1, 0.9f, 0.999f, 1e-8f);
        float[] p = [0f];
        double m = 0, v = 0, theta = 0;
        double[] g = [0.3, -0.1];
        for (int t = 1; t <= 2; t++)
        {
            adam.Step(p, [(float)g[t - 1]], 0.01f);
            m = (0.9 * m) + (0.1 * g[t - 1]);
            v = (0.999 * v) + (0.001 * g[t - 1] * g[t - 1]);
            theta -= 0.01 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
        }

        Assert.Equal(theta, p[0], 1e-6);
    }

    [Fact]
    public void Adam_VectorizedSteps_EqualScalarAlgorithmBitForBit()
    {
        // Every length 0..257 hits each vector-width remainder; the naive twin runs the same float operations in order.
        var random = new Random(7);
        for (int n = 1; n <= 257; n++)
        {
            var adam = new AdamOptimizer(n, 0.9f, 0.999f, 1e-8f);
            float[] p = new float[n], expected = new float[n], m = new float[n], v = new float[n], g = new float[n];
            for (int i = 0; i < n; i++)
            {
                p[i] = expected[i] = (float)(random.NextDouble() - 0.5);
            }

            for (int t = 1; t <= 3; t++)
            {
                for (int i = 0; i < n; i++)
                {
                    g[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 2)));
                }

                adam.Step(p, g, 1e-3f);
                float c1 = 1f / (1f - MathF.Pow(0.9f, t)), c2 = 1f / (1f - MathF.Pow(0.999f, t));
                for (int i = 0; i < n; i++)
                {
                    m[i] = (0.9f * m[i]) + ((1f - 0.9f) * g[i]);
                    v[i] = (0.999f * v[i]) + ((1f - 0.999f) * g[i] * g[i]);
                    expected[i] -= 1e-3f * (m[i] * c1) / (MathF.Sqrt(v[i] * c2) + 1e-8f);
                }

                Assert.Equal(expected, p);
            }
        }
    }

    [Theory]
    [InlineData(false, -0.1 - 0.19)]
    [InlineData(true, -0.19 - 0.271)]
    public void Momentum_TwoStepsOfUnitGradient_AccumulatesVelocity(bool nesterov, double expected)
    {
        // v1 = 1, v2 = 1.9; classic steps η·v: 0.1 then 0.19; Nesterov steps η·(g + μv): 0.19 then 0.271.
        var momentum = new MomentumOptimizer(1, 0.9f, nesterov);
        float[] p = [0f];
        momentum.Step(p, [1f], 0.1f);
        momentum.Step(p, [1f], 0.1f);
        Assert.Equal(expected, p[0], 1e-6);
    }

    [Fact]
    public void GradientDescent_Step_SubtractsRateTimesGradient()
    {
        var sgd = new GradientDescent(2);
        float[] p = [1f, 2f];
        sgd.Step(p, [0.5f, -1f], 0.2f);
        Assert.Equal([0.9f, 2.2f], p);
    }

    [Theory]
    [InlineData(LearningRateSchedule.Constant, 7, 0.1)]
    [InlineData(LearningRateSchedule.StepDecay, 7, 0.025)]
    [InlineData(LearningRateSchedule.ExponentialDecay, 3, 0.0125)]
    public void LearningRates_At_FollowsTheSchedule(LearningRateSchedule schedule, int epoch, double expected)
    {
        Assert.Equal(expected, LearningRates.At(schedule, 0.1f, epoch, 0.5f, 3), 1e-7);
    }

    [Fact]
    public void Step_WrongLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new GradientDescent(3).Step(new float[3], new float[2], 0.1f));
    }
}
