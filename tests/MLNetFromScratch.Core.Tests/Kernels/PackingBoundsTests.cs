using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>
/// Packing A for the micro-kernels stores 8 floats a step, so a 1- or 2-row tile at the end of the matrix writes
/// past it: the layout must be right and nothing may be written beyond the <see cref="MatMul.PackOvershoot"/> floats
/// the packed buffer keeps to spare (a write past them would land on whatever the heap holds next).
/// </summary>
public sealed unsafe class PackingBoundsTests
{
    private const int Guard = 64;

    public static TheoryData<int, int, bool> Shapes()
    {
        var shapes = new TheoryData<int, int, bool>();
        foreach (bool transposed in (bool[])[false, true])
        {
            for (int rows = 1; rows <= 14; rows++)
            {
                foreach (int depth in (int[])[1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 33])
                {
                    shapes.Add(rows, depth, transposed);
                }
            }
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackA_TilesInOrder_WritesNothingPastTheSpareFloats(int rows, int depth, bool transposed)
    {
        // A (rows × depth) in place, or its transpose (depth × rows), with distinct values.
        var a = new float[rows * depth];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = i + 1;
        }

        int used = rows * depth;
        var packed = new float[used + MatMul.PackOvershoot + Guard];
        Array.Fill(packed, float.NaN);
        fixed (float* p = packed)
        fixed (float* s = a)
        {
            if (transposed)
            {
                MatMul.PackATilesTransposed(p, s, rows, rows, depth);
            }
            else
            {
                MatMul.PackATiles(p, s, depth, rows, depth);
            }
        }

        for (int i = used + MatMul.PackOvershoot; i < packed.Length; i++)
        {
            Assert.True(float.IsNaN(packed[i]), $"float {i - used} past the packed tiles was written");
        }

        // packed[r·depth + k·n + i] = a(r + i, k), tiles of 6 rows, the last ones as 4 + 4, 4, 2 or 1.
        for (int r = 0, n; r < rows; r += n)
        {
            int left = rows - r;
            n = left >= 6 && left != 8 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
            for (int k = 0; k < depth; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    float expected = transposed ? a[(k * rows) + r + i] : a[((r + i) * depth) + k];
                    Assert.Equal(expected, packed[(r * depth) + (k * n) + i]);
                }
            }
        }
    }
}
