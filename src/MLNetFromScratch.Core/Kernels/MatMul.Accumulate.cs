using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// All three dense products are C = scale·(init + A·B), with C row-major, A row-major or given
// transposed, B row-major (k, n) or transposed (n, k); init is zero or a bias row:
//   Forward:         C = y (batch × outputs),   A = x (batch × inputs),  B = wᵀ (w read transposed), init = bias;
//   BackwardInput:   C = dx (batch × inputs),   A = dy (batch × outputs), B = w (outputs × inputs);
//   BackwardWeights: C = dw (outputs × inputs), A = dyᵀ (dy by columns),  B = x (batch × inputs), × scale.
// A read by more than one panel (or given transposed) is first packed tile by tile (PackATiles), so
// that the kernels read it as one sequential stream. A chunk is one panel of 16 columns of C (or a few
// tiny ones) over a group of rows. Along k in blocks of at most 1024 (one block for the usual depths, so that C is
// written once), it copies the panel's slice of B into a contiguous, aligned buffer on its stack
// (16 floats a k step, one cache line, zeros past the last column), then runs the 6 × 16
// micro-kernels down its rows, which read the buffer sequentially (in place, B rows are a whole
// matrix row apart: a page or so, which the TLB and the prefetchers handle badly). A chunk of a few
// rows reads a row-major B in place. Every C element is one FMA chain from init over k in order,
// held in a register within a block and in C between blocks (a float store and load is exact), then
// multiplied by scale once: the same bits whichever thread, chunk or kernel computes it.
public static unsafe partial class MatMul
{
    private const int PanelWidth = 16;
    private const int DepthBlock = 1024;
    private const int MaxRowGroup = 1024;
    private const int ChunksPerThread = 4;
    private const int MinRowGroup = 48;
    private const int InPlaceRows = 12;
    private const int PrefetchDepth = 128;
    private const int MaxPrefetchAhead = 48;
    private const int MinPrefetchDepth = 32;
    private const long MinChunkMultiplyAdds = 1 << 17;

    // A chunk's buffer, on its stack (64 KB): DepthBlock k steps of 16 floats, the bias row of the panel, a
    // 6 × 16 tile for partial panels, and room to align to a cache line. Nothing to allocate (a
    // chunk must not throw), nothing shared between threads.
    private const int BufferFloats = (DepthBlock * PanelWidth) + (PanelWidth * 7) + 16;

    private readonly struct GemmJob
    {
        public readonly float* C;
        public readonly nint Ldc;
        public readonly float* A;
        public readonly nint Lda;
        public readonly bool APacked;
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
        public readonly int PanelGroup;
        public readonly int PanelGroups;
        public readonly int ChunkCount;

        // a(r, k) = a[r·lda + k], or packed by PackATiles (lda ignored);
        // b(k, n) = b[k·ldb + n], or b[n·ldb + k] when bTransposed; bias null for none; threads: how many will run the chunks.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public GemmJob(
            float* c, int ldc, float* a, int lda, bool aPacked, float* b, int ldb, bool bTransposed, float* bias,
            int rows, int columns, int depth, float scale, int threads)
        {
            C = c;
            Ldc = ldc;
            A = a;
            Lda = aPacked ? depth : lda;
            APacked = aPacked;
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

            // A chunk is one panel over a group of rows: at most MaxRowGroup; with several threads
            // and few panels (a narrow C) down to MinRowGroup rows, so that every thread gets work.
            // (A chunk packs its panel of B: on one thread, splitting rows would only cost.) Claimed
            // one at a time, panels keep the threads' shares within a panel of each other.
            int wanted = threads > 1 ? ChunksPerThread * threads : 1;
            int split = Math.Min((wanted + panels - 1) / Math.Max(panels, 1), (rows + MinRowGroup - 1) / MinRowGroup);
            int rowGroups = Math.Max(Math.Max((rows + MaxRowGroup - 1) / MaxRowGroup, split), 1);
            RowGroup = Math.Max(6, (((rows + rowGroups - 1) / rowGroups) + 5) / 6 * 6);
            RowGroups = RowChunks(rows, RowGroup);

            // Tiny panels (a few rows, a short depth) go several to a chunk, so that a chunk's own cost stays small.
            long panelWork = (long)Math.Min(rows, RowGroup) * depth * PanelWidth;
            PanelGroup = (int)Math.Clamp(MinChunkMultiplyAdds / Math.Max(panelWork, 1), 1, Math.Max(panels, 1));
            PanelGroups = (panels + PanelGroup - 1) / PanelGroup;
            ChunkCount = rows == 0 ? 0 : RowGroups * PanelGroups;
        }
    }

    // SkipLocalsInit: the buffer is written before it is read (see the packing), no need to clear it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void RunGemmChunk(void* state, int chunk)
    {
        ref readonly GemmJob job = ref *(GemmJob*)state;
        int group = chunk / job.PanelGroups;
        int r0 = group * job.RowGroup;
        int r1 = group + 1 == job.RowGroups ? job.Rows : r0 + job.RowGroup;
        int p0 = chunk % job.PanelGroups * job.PanelGroup;
        int p1 = Math.Min(p0 + job.PanelGroup, (job.Columns + PanelWidth - 1) / PanelWidth);
        float* buffer = stackalloc float[BufferFloats];
        float* panel = (float*)(((nint)buffer + 63) & ~(nint)63);
        float* tile = panel + (DepthBlock * PanelWidth) + PanelWidth;
        for (int p = p0; p < p1; p++)
        {
            RunGemmPanel(job, r0, r1, p * PanelWidth, panel, tile);
        }
    }

    // Rows r0 to r1 of the panel at column c0, in depth blocks; panel: the buffer for B, followed by
    // 16 floats for the bias row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunGemmPanel(in GemmJob job, int r0, int r1, int c0, float* panel, float* tile)
    {
        int width = Math.Min(PanelWidth, job.Columns - c0);
        float* bias = null;
        if (job.Bias is not null)
        {
            bias = panel + (DepthBlock * PanelWidth);
            for (int j = 0; j < PanelWidth; j++)
            {
                bias[j] = j < width ? job.Bias[c0 + j] : 0f;
            }
        }

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
            RunPanel(a, job.Lda, job.APacked, k0, b, ldb, kc, c, job.Ldc, r1 - r0, width, first ? bias : c, first ? 0 : job.Ldc, scale, tile);
        }
    }

    // The rows of one panel in tiles of TileRowsAt rows, from step k0 on. Row r of A starts at a + r·lda,
    // in place a row of the matrix, packed a tile laid out k by k (PackATiles, lda = the depth). A
    // partial panel (width < 16) computes each tile in a 16-wide copy, tile, then copies back its
    // first width columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPanel(
        float* a, nint lda, bool aPacked, int k0, float* b, nint ldb, int kc, float* c, nint ldc, int rows, int width,
        float* init, nint initStride, float scale, float* tile)
    {
        // The rows of C to fetch ahead of the tile that stores them: the current tile's when a tile
        // takes long enough for its fetch, more ahead for short depths; none for the shortest (a
        // tile there is mostly its stores, the fetches only add to them). fetched: rows done.
        int ahead = kc >= PrefetchDepth ? 0 : Math.Min(MaxPrefetchAhead, PrefetchDepth / Math.Max(kc, 1) * 6);
        int limit = kc < MinPrefetchDepth ? 0 : rows;
        int fetched = 0;
        int r = 0;
        if (aPacked && width == PanelWidth)
        {
            // The 6-row tiles (all but the last 1-5 rows, or the last 8 as 4 + 4) in one call.
            int full = rows / 6;
            full -= rows % 6 == 2 && full > 0 ? 1 : 0;
            Gemm6x16Packed(a + (k0 * 6), lda * 6, b, ldb, kc, c, ldc, init, initStride, scale, full, ahead / 6, limit);
            r = full * 6;
            fetched = Math.Min(limit, r + ahead);
        }

        int n;
        for (; r < rows; r += n)
        {
            n = TileRowsAt(rows - r);
            int until = Math.Min(limit, r + n + ahead);
            PrefetchRows(c + (fetched * ldc), ldc, until - fetched);
            fetched = Math.Max(fetched, until);

            nint step = aPacked ? n : 1;
            float* ar = a + (r * lda) + (k0 * step);
            nint rowStride = aPacked ? 1 : lda;
            float* cr = c + (r * ldc);
            float* ir = init is null ? null : init + (r * initStride);
            if (width == PanelWidth)
            {
                RunTile(n, ar, rowStride, step, b, ldb, kc, cr, ldc, ir, initStride, scale);
                continue;
            }

            nint stride = initStride;
            if (ir is not null && stride != 0)
            {
                CopyColumns(tile, PanelWidth, ir, stride, n, width, pad: true);
                ir = tile;
                stride = PanelWidth;
            }

            RunTile(n, ar, rowStride, step, b, ldb, kc, tile, PanelWidth, ir, stride, scale);
            CopyColumns(cr, ldc, tile, PanelWidth, n, width, pad: false);
        }
    }

    // Brings 16 floats of rows of C into the cache before a kernel stores them: C is usually not
    // cached, and 12 stores that miss fill the store buffer and stall the next tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRows(float* c, nint ldc, int rows)
    {
        for (int i = 0; i < rows; i++, c += ldc)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + 15);
        }
    }

    // How many chunks of rowsPerChunk rows (a multiple of 6) cover rows, the last taking the rest.
    // A last chunk of just 2 rows joins the one before: the matrix cuts its last 8 rows as 4 + 4, and
    // a chunk must cut its rows into the same tiles as the whole matrix (see TileRowsAt).
    private static int RowChunks(int rows, int rowsPerChunk)
    {
        int chunks = Math.Max(1, (rows + rowsPerChunk - 1) / rowsPerChunk);
        return chunks > 1 && rows - ((chunks - 1) * rowsPerChunk) == 2 ? chunks - 1 : chunks;
    }

    // The rows of the next tile when left rows remain: 6, the last ones as 4, 2 or 1, and 8 as 4 + 4
    // (a 2-row tile keeps only 4 FMA chains in flight, half the machine). Chunks start at a multiple
    // of 6 rows and the last is never just the last 2 (RowChunks), so a chunk cuts its rows into the
    // same tiles as the whole matrix does.
    private static int TileRowsAt(int left) => left >= 6 && left != 8 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTile(int rows, float* a, nint rowStride, nint step, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale)
    {
        switch (rows)
        {
            case 6:
                Gemm6x16(a, rowStride, step, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            case 4:
                Gemm4x16(a, rowStride, step, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            case 2:
                Gemm2x16(a, rowStride, step, b, ldb, kc, c, ldc, init, initStride, scale);
                break;
            default:
                Gemm1x16(a, step, b, ldb, kc, c, init, scale);
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
