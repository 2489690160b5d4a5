using System.Reflection;
using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests.Training;

/// <summary>
/// The methods a training step runs must be compiled fully optimized at their first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): without it they start as tier-0 code, which in SIMD loops
/// is many times slower, and the first epoch of every process pays for it (see TwoLayerNetwork.ComputeGradients).
/// </summary>
public sealed class StepCompilationTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    public static TheoryData<Type, string> StepMethods() => new()
    {
        { typeof(NetworkTrainer), nameof(NetworkTrainer.Train) },
        { typeof(NetworkTrainer), "Gather" },
        { typeof(NetworkTrainer), "GatherTargets" },
        { typeof(NetworkTrainer), "AllFinite" },
        { typeof(NetworkEvaluator), nameof(NetworkEvaluator.Evaluate) },
        { typeof(TwoLayerNetwork), nameof(TwoLayerNetwork.ComputeGradients) },
        { typeof(TwoLayerNetwork), nameof(TwoLayerNetwork.Forward) },
        { typeof(TwoLayerNetwork), "ForwardFromZ1" },
        { typeof(TwoLayerNetwork), "DrawDropoutMask" },
        { typeof(TwoLayerNetwork), "ForwardBackwardFromZ1" },
        { typeof(TwoLayerNetwork), "ForwardBackwardBlock" },
        { typeof(TwoLayerNetwork), "RunBlock" },
        { typeof(TwoLayerNetwork), "FinishRows" },
        { typeof(TwoLayerNetwork), "CheckWorkspace" },
        { typeof(SparseInputGradients), nameof(SparseInputGradients.ComputeGradients) },
        { typeof(SparseInputGradients), "RunChunk" },
        { typeof(SparseInputGradients), "ComputeGradientsAndStep" },
        { typeof(SparseInputGradients), "Pass" },
        { typeof(SparseInputGradients), "FinishStep" },
        { typeof(SparseInputGradients), "FinishWeightRange" },
        { typeof(SparseInputGradients), "FinishRowsAlongside" },
        { typeof(Rng), nameof(Rng.Shuffle) },
        { typeof(Rng), nameof(Rng.NextInt) },
        { typeof(Optimizer), "RunChunk" },
        { typeof(Optimizer), "StartStep" },
        { typeof(Optimizer), "UpdateRange" },
        { typeof(AdamOptimizer), "Update" },
        { typeof(AdamOptimizer), "BeginStep" },
        { typeof(MomentumOptimizer), "Update" },
        { typeof(GradientDescent), "Update" },
        { typeof(ActivationKernels), nameof(ActivationKernels.Forward) },
        { typeof(ActivationKernels), nameof(ActivationKernels.Backward) },
        { typeof(ActivationKernels), "ReluForward" },
        { typeof(ActivationKernels), "ReluBackward" },
        { typeof(LossKernels), nameof(LossKernels.Logistic) },
        { typeof(LossKernels), nameof(LossKernels.Softmax) },
        { typeof(LossKernels), nameof(LossKernels.SquaredError) },
        { typeof(LossKernels), nameof(LossKernels.LogisticGradient) },
        { typeof(LossKernels), nameof(LossKernels.LogisticLoss) },
        { typeof(LossKernels), nameof(LossKernels.SoftmaxGradient) },
        { typeof(LossKernels), nameof(LossKernels.SoftmaxLoss) },
        { typeof(LossKernels), nameof(LossKernels.SquaredErrorGradient) },
        { typeof(LossKernels), nameof(LossKernels.SquaredErrorLoss) },
        { typeof(SoftmaxKernel), nameof(SoftmaxKernel.LogSumExpRow) },
        { typeof(VectorKernels), nameof(VectorKernels.AddScaledSumOfSquares) },
        { typeof(VectorKernels), "RunAddScaledChunk" },
        { typeof(VectorKernels), "AddScaledSumOfSquaresRange" },
        { typeof(ComputeContext), "Run" },
        { typeof(ComputeContext), "Drain" },
        { typeof(ComputeContext), "WakeHelpers" },
        { typeof(ComputeContext), "HelperLoop" },
        { typeof(MatMul), nameof(MatMul.Forward) },
        { typeof(MatMul), nameof(MatMul.BackwardInput) },
        { typeof(MatMul), nameof(MatMul.BackwardWeights) },
        { typeof(MatMul), "Dispatch" },
        { typeof(MatMul), "RunGemmChunk" },
        { typeof(MatMul), "RunPanel" },
        { typeof(MatMul), "RunTile" },
        { typeof(MatMul), "Gemm" },
        { typeof(MatMul), "RunGemmPanel" },
        { typeof(MatMul), "RunPackChunk" },
        { typeof(MatMul), "Gemm6x16Packed" },
        { typeof(MatMul), "PackATiles" },
        { typeof(MatMul), "ColumnSums" },
        { typeof(MatMul), nameof(MatMul.SparseForward) },
        { typeof(MatMul), nameof(MatMul.SparseBackwardWeights) },
        { typeof(MatMul), "RunSparseForwardChunk" },
        { typeof(MatMul), "RunSparseBackwardChunk" },
        { typeof(MatMul), "ColumnAtWork" },
        { typeof(MatMul), "DyCopyBuffer" },
        { typeof(MatMul), "Scratch" },
        { typeof(MatMul), "AtLeast" },
        { typeof(MatMul), "IsLineAligned" },
        { typeof(MatMul), "LineAlignedCopy" },
        { typeof(MatMul), "SparseSum3x32" },
        { typeof(MatMul), "SparseSum2x32" },
        { typeof(MatMul), "SparseAxpyRows" },
        { typeof(SparseColumns), nameof(SparseColumns.Build) },
        { typeof(SparseColumns), "BeginBuild" },
        { typeof(SparseColumns), "BuildPart" },
        { typeof(SparseColumns), "RunPart" },
        { typeof(SparseRowsBuilder), nameof(SparseRowsBuilder.AppendDense) },
        { typeof(SparseRowsBuilder), nameof(SparseRowsBuilder.AppendSparse) },
        { typeof(SparseRowsBuilder), "AppendEntries" },
        { typeof(SparseRowsBuilder), "Narrow" },
        { typeof(ValueCodes), nameof(ValueCodes.CodeAll) },
        { typeof(NonZeroPacking), nameof(NonZeroPacking.Pack) },
    };

    [Theory]
    [MemberData(nameof(StepMethods))]
    public void StepMethod_EveryOverload_IsAggressivelyOptimized(Type type, string name)
    {
        MethodInfo[] overloads = [.. type.GetMethods(All).Where(m => m.Name == name)];
        Assert.NotEmpty(overloads);
        foreach (MethodInfo method in overloads)
        {
            Assert.True(
                method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization),
                $"{type.Name}.{method} is not marked AggressiveOptimization: it would run as tier-0 code in the first epoch.");
        }
    }
}
