using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetFromScratch.Core.Kernels;

// BackwardInput and BackwardWeights are both C = scale·A·B with B and C row-major and n wide
// (n = inputs), and A read through strides; only BackwardWeights copies an operand (dy, transposed):
//   BackwardInput:   C = dx (batch × inputs),   A(r, k) = dy[r·outputs + k], B = w (outputs × inputs);
//   BackwardWeights: C = dw (outputs × inputs), A(o, k) = dyᵀ[o·batch + k], B = x (batch × inputs).
// Work is cut into panels 16 columns wide and 48 rows high; along k in blocks of 256, so a block of
// a B panel (16 KB) stays in L1 while the rows of the chunk pass. Every C element is one FMA chain
// from zero over k in order, held in a register within a block and in C between blocks (a float
// store and load is exact), then multiplied by scale once: the same bits whoever computes it.
public static unsafe partial class MatMul
{
    private const int PanelWidth = 16;
    private const int AccumulateRowGroup = 48;
    private const int DepthBlock = 256;

    private readonly struct AccumulateJob
    {
        public readonly float* C;
        public readonly float* A;
        public readonly nint RowStrideA;
        public readonly nint DepthStrideA;
        public readonly float* B;
        public readonly int Rows;
        public readonly int Columns;
        public readonly int Depth;
        public readonly float Scale;
        public readonly int RowGroups;
        public readonly int ChunkCount;

        public AccumulateJob(float* c, float* a, int rowStrideA, int depthStrideA, float* b, int rows, int columns, int depth, float scale)
        {
            C = c;
            A = a;
            RowStrideA = rowStrideA;
            DepthStrideA = depthStrideA;
            B = b;
            Rows = rows;
            Columns = columns;
            Depth = depth;
            Scale = scale;
            RowGroups = (rows + AccumulateRowGroup - 1) / AccumulateRowGroup;
            ChunkCount = RowGroups * ((columns + PanelWidth - 1) / PanelWidth);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAccumulateChunk(void* state, int chunk)
    {
        ref readonly AccumulateJob job = ref *(AccumulateJob*)state;
        int r0 = chunk % job.RowGroups * AccumulateRowGroup;
        int r1 = Math.Min(r0 + AccumulateRowGroup, job.Rows);
        int c0 = chunk / job.RowGroups * PanelWidth;
        int width = Math.Min(PanelWidth, job.Columns - c0);
        nint ld = job.Columns;
        for (int k0 = 0; k0 < job.Depth; k0 += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, job.Depth - k0);
            bool accumulate = k0 > 0;
            float scale = k0 + kc == job.Depth ? job.Scale : 1f;
            float* b = job.B + (k0 * ld) + c0;
            for (int r = r0; r < r1;)
            {
                float* a = job.A + (r * job.RowStrideA) + (k0 * job.DepthStrideA);
                float* c = job.C + (r * ld) + c0;
                bool six = r + 6 <= r1;
                if (width == PanelWidth)
                {
                    int left = r1 - r;
                    if (left >= 6)
                    {
                        Acc6x16(a, job.RowStrideA, job.DepthStrideA, b, ld, c, kc, scale, accumulate);
                        r += 6;
                    }
                    else if (left >= 4)
                    {
                        Acc4x16(a, job.RowStrideA, job.DepthStrideA, b, ld, c, kc, scale, accumulate);
                        r += 4;
                    }
                    else if (left >= 2)
                    {
                        Acc2x16(a, job.RowStrideA, job.DepthStrideA, b, ld, c, kc, scale, accumulate);
                        r += 2;
                    }
                    else
                    {
                        Acc1x16(a, job.DepthStrideA, b, ld, c, kc, scale, accumulate);
                        r++;
                    }

                    continue;
                }

                for (int j = 0; j < width; j += 8)
                {
                    Vector256<float> mask = LeadingMask(Math.Min(8, width - j));
                    if (six)
                    {
                        Acc6x8(a, job.RowStrideA, job.DepthStrideA, b + j, ld, c + j, kc, scale, accumulate, mask);
                    }
                    else
                    {
                        Acc1x8(a, job.DepthStrideA, b + j, ld, c + j, kc, scale, accumulate, mask);
                    }
                }

                r += six ? 6 : 1;
            }
        }
    }
}
