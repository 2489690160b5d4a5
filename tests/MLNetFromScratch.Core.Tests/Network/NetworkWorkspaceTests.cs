using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Tests.Network;

/// <summary>
/// The batch inputs X are allocated at first use only: a first layer that reads its inputs sparse, in place, never
/// pays for them (784 × 128 floats, 0.4 MB, on MNIST).
/// </summary>
public sealed class NetworkWorkspaceTests
{
    [Fact]
    public void Constructor_WideInputs_InputsNotAllocatedUntilFirstUseThenKept()
    {
        var shape = new NetworkShape(784, 8, 2, Activation.Relu, NetworkHead.Softmax);
        long inputBytes = 128L * 784 * sizeof(float);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var workspace = new NetworkWorkspace(shape, 128);
        long constructed = GC.GetAllocatedBytesForCurrentThread() - before;
        float[] inputs = workspace.Inputs;
        long firstUse = GC.GetAllocatedBytesForCurrentThread() - before - constructed;

        // The other buffers: 7 of 128 × 8 floats, 3 of 128 × 2 and one of 128, about 33 kB.
        Assert.True(constructed < inputBytes / 4, $"The constructor allocated {constructed} bytes.");
        Assert.True(firstUse >= inputBytes, $"The first use allocated {firstUse} bytes.");
        Assert.Equal(128 * 784, inputs.Length);
        Assert.Same(inputs, workspace.Inputs);
    }

    [Fact]
    public void Constructor_BatchOfInputsTooLargeForAnArray_OverflowAtOnce()
    {
        var shape = new NetworkShape(1 << 16, 1, 2, Activation.Relu, NetworkHead.Softmax);

        Assert.Throws<OverflowException>(() => new NetworkWorkspace(shape, 1 << 16));
    }
}
