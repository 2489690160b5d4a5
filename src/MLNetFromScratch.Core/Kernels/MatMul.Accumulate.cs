using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

// All three dense products are C = scale·(init + A·B), with A and C row-major and B given either
// row-major (k, n) or transposed (n, k); init is zero or a bias row:
//   Forward:         C = y (batch × outputs),   A = x (batch × inputs),  B = wᵀ (w read transposed), init = bias;
//   BackwardInput:   C = dx (batch × inputs),   A = dy (batch × outputs), B = w (outputs × inputs);
//   BackwardWeights: C = dw (outputs × inputs), A = dyᵀ (a copy),         B = x (batch × inputs), × scale.
// A chunk is one panel of 16 columns of C over a group of rows. Along k in blocks of at most 256, it
// copies the panel's slice of B into a contiguous, aligned buffer on its stack (16 floats a k step,
// one cache line, zeros past the last column), then runs the 6 × 16 micro-kernels down its rows, which
// read the buffer from L1 sequentially (in place, B rows are a whole matrix row apart: a page or so,
// which the TLB and the prefetchers handle badly). A chunk of a few rows reads a row-major B in place. Every C element is one FMA chain from init over k in order,
// held in a register within a block and in C between blocks (a float store and load is exact), then
// multiplied by scale once: the same bits whichever thread, chunk or kernel computes it.
public static unsafe partial class MatMul
{
    private const int PanelWidth = 16;
    private const int DepthBlock = 256;
    private const int MaxRowGroup = 288;
    private const int ChunksPerThread = 4;
    private const int MinRowGroup = 48;
    private const int InPlaceRows = 12;

    // A chunk's buffer, on its stack: DepthBlock k steps of 16 floats, the bias row of the panel, a
    // 6 × 16 tile for partial panels, and room to align to a cache line. Nothing to allocate (a
    // chunk must not throw), nothing shared between threads.
    private const int BufferFloats = (DepthBlock * PanelWidth) + (PanelWidth * 7) + 16;

    private readonly struct GemmJob
    {
        public readonly float* C;
        public readonly nint Ldc;
        public readonly float* A;
        public readonly nint Lda;
        public readonly float* B;
        public readonly nint Ldb;
        public readonly bool BTransposed;
        public readonly float* Bias;
        public readonly int Rows;
        public readonly int Columns;
        public readonly int Depth;
        public readonly float Scale;
        public readonly int DepthBlocks;
        public readonly int RowGroup;
        public readonly int RowGroups;
        public readonly int ChunkCount;

        // b(k, n) = b[k·ldb + n], or b[n·ldb + k] when bTransposed; bias null for none; threads: how many will run the chunks.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public GemmJob(
            float* c, int ldc, float* a, int lda, float* b, int ldb, bool bTransposed, float* bias,
            int rows, int columns, int depth, float scale, int threads)
        {
            C = c;
            Ldc = ldc;
            A = a;
            Lda = lda;
            B = b;
            Ldb = ldb;
            BTransposed = bTransposed;
            Bias = bias;
            Rows = rows;
            Columns = columns;
            Depth = depth;
            Scale = scale;
            DepthBlocks = (depth + DepthBlock - 1) / DepthBlock;
            int panels = (columns + PanelWidth - 1) / PanelWidth;

            // At most MaxRowGroup rows a chunk; with several threads and few panels (a narrow C) down
            // to MinRowGroup rows, so that every thread gets work. (A chunk repacks its panels: on
            // one thread, splitting would only cost.)
            int wanted = threads > 1 ? ChunksPerThread * threads : 1;
            int split = Math.Min((wanted + panels - 1) / Math.Max(panels, 1), (rows + MinRowGroup - 1) / MinRowGroup);
            int groups = Math.Max(Math.Max((rows + MaxRowGroup - 1) / MaxRowGroup, split), 1);
            RowGroup = Math.Max(6, (((rows + groups - 1) / groups) + 5) / 6 * 6);
            RowGroups = Math.Max(1, (rows + RowGroup - 1) / RowGroup);
            ChunkCount = rows == 0 ? 0 : RowGroups * panels;
        }
    }

    // SkipLocalsInit: the buffer is written before it is read (see the packing), no need to clear it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RunGemmChunk(void* state, int chunk)
    {
        ref readonly GemmJob job = ref *(GemmJob*)state;
        int r0 = chunk % job.RowGroups * job.RowGroup;
        int r1 = Math.Min(r0 + job.RowGroup, job.Rows);
        int c0 = chunk / job.RowGroups * PanelWidth;
        int width = Math.Min(PanelWidth, job.Columns - c0);
        float* buffer = stackalloc float[BufferFloats];
        float* panel = (float*)(((nint)buffer + 63) & ~(nint)63);
        float* bias = null;
        if (job.Bias is not null)
        {
            bias = panel + (DepthBlock * PanelWidth);
            for (int j = 0; j < PanelWidth; j++)
            {
                bias[j] = j < width ? job.Bias[c0 + j] : 0f;
            }
        }

        float* tile = panel + (DepthBlock * PanelWidth) + PanelWidth;

        // A row-major B read by a few tiles only is not worth a copy: read in place.
        bool inPlace = !job.BTransposed && width == PanelWidth && r1 - r0 <= InPlaceRows;
        float* c = job.C + (r0 * job.Ldc) + c0;
        float* a = job.A + (r0 * job.Lda);
        for (int block = 0; block < job.DepthBlocks; block++)
        {
            int k0 = (int)((long)block * job.Depth / job.DepthBlocks);
            int kc = (int)((long)(block + 1) * job.Depth / job.DepthBlocks) - k0;
            float* b = panel;
            nint ldb = PanelWidth;
            if (job.BTransposed)
            {
                PackTransposed(panel, job.B + (c0 * job.Ldb) + k0, job.Ldb, kc, width);
            }
            else if (inPlace)
            {
                b = job.B + (k0 * job.Ldb) + c0;
                ldb = job.Ldb;
            }
            else
            {
                PackRows(panel, job.B + (k0 * job.Ldb) + c0, job.Ldb, kc, width);
            }

            // The first block starts from the bias row (or zeros), the others from C; the last one scales.
            bool first = block == 0;
            float scale = block + 1 == job.DepthBlocks ? job.Scale : 1f;
            RunPanel(a + k0, job.Lda, b, ldb, kc, c, job.Ldc, r1 - r0, width, first ? bias : c, first ? 0 : job.Ldc, scale, tile);
        }
    }

    // The rows of one panel, 6 at a time; the rest as 4 + 4, 4, 2 or 1 (never a lone 2 where 4 + 4
    // fits). A partial panel (width < 16) computes each tile in a 16-wide copy, tile, then copies back
    // its first width columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPanel(
        float* a, nint lda, float* b, nint ldb, int kc, float* c, nint ldc, int rows, int width,
        float* init, nint initStride, float scale, float* tile)
    {
        int n;
        for (int r = 0; r < rows; r += n)
        {
            int left = rows - r;
            n = left >= 6 && left != 8 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
            float* ar = a + (r * lda);
            float* cr = c + (r * ldc);
            float* ir = init is null ? null : init + (r * initStride);
            if (width == PanelWidth)
            {
                RunTile(n, ar, lda, b, ldb, kc, cr, ldc, ir, initStride, scale);
                continue;
            }

            nint stride = initStride;
            if (ir is not null && stride != 0)
            {
                CopyColumns(tile, PanelWidth, ir, stride, n, width, pad: true);
                ir = tile;
                stride = PanelWidth;
            }

            RunTile(n, ar, lda, b, ldb, kc, tile, PanelWidth, ir, stride, scale);
            CopyColumns(cr, ldc, tile, PanelWidth, n, width, pad: false);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTile(int rows, float* a, nint lda, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale)
    {
        switch (rows)
        {
            case 6:
                Gemm6x16(a, lda, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            case 4:
                Gemm4x16(a, lda, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            case 2:
                Gemm2x16(a, lda, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            default:
                Gemm1x16(a, b, ldb, kc, c, init, scale);
                break;
        }
    }

    // destination[i·ldd + j] = source[i·lds + j] for i < rows, j < width; with pad, 0 for width ≤ j < 16.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyColumns(float* destination, nint ldd, float* source, nint lds, int rows, int width, bool pad)
    {
        for (int i = 0; i < rows; i++, destination += ldd, source += lds)
        {
            int j = 0;
            for (; j < width; j++)
            {
                destination[j] = source[j];
            }

            for (; pad && j < PanelWidth; j++)
            {
                destination[j] = 0f;
            }
        }
    }
}
