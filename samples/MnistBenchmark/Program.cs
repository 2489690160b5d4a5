// MnistBenchmark: trains a 784-128-10 network (ReLU, Adam 1e-3, batch 128) on MNIST from an in-memory IDataView,
// measures seconds an epoch, GFLOP/s against this machine's FMA peak, accuracy, peak working set, ML.NET's own
// multiclass trainers on the same data, and the cost of scoring a row through ML.NET against the direct forward pass.
// Usage: dotnet run --project samples/MnistBenchmark -c Release -- [mnist folder] [--epochs N] [--quick] [--no-baselines] [--cold] [--scoring-only]
// Without --cold, small Fits run first until the JIT is quiet, so that the timed Fit measures training.
// The folder defaults to ../shared/data/mnist relative to the repository root. Pixels are scaled to [0, 1] (x / 255).
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch;
using MLNetFromScratch.Core.Training;
using MnistBenchmark;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string? folder = null;
int epochs = 5;
bool quick = false, baselines = true, cold = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": quick = true; break;
        case "--no-baselines": baselines = false; break;
        case "--cold": cold = true; break;
        case "--scoring-only": baselines = false; epochs = 1; break; // a quick model (1 epoch) to iterate on the scoring figures

        default: folder = args[i]; break;
    }
}

folder ??= Path.Combine(RepositoryRoot(), "..", "shared", "data", "mnist");
var ml = new MLContext(seed: 1);
long baselineWorkingSet = WorkingSet.Current(); // the runtime and ML.NET loaded, no data yet
int trainLimit = quick ? 6000 : int.MaxValue, testLimit = quick ? 2000 : int.MaxValue;
const int Hidden = 128, Classes = 10, BatchSize = 128, TimedPasses = 7;
const int WarmUpRows = 5000;

Console.WriteLine($"MNIST benchmark: 784-{Hidden}-{Classes}, ReLU, Adam 1e-3, batch {BatchSize}, {epochs} epochs{(quick ? ", QUICK subset" : "")}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {CpuModel()}, .NET {Environment.Version}");
List<MnistRow> trainRows = MnistFiles.Read(folder, "train", trainLimit);
List<MnistRow> testRows = MnistFiles.Read(folder, "t10k", testLimit);
Console.WriteLine($"Data: {trainRows.Count} training rows, {testRows.Count} test rows, pixels scaled to [0, 1] (x / 255)");

IDataView train = ml.Data.LoadFromEnumerable(trainRows);
IDataView test = ml.Data.LoadFromEnumerable(testRows);
double dataMegabytes = (trainRows.Count + testRows.Count) * (MnistFiles.Pixels * 4.0 + 4) / 1e6;

double peak1 = FmaPeak.Measure(1), peak2 = FmaPeak.Measure(2);
Console.WriteLine($"FMA peak measured now (Vector256): 1 thread {peak1:F1} GFLOP/s, 2 threads {peak2:F1} GFLOP/s");

// Training.
var epochTimes = new List<double>();
var reportTimestamps = new List<long>();
TimeSpan last = TimeSpan.Zero;
var options = new NeuralNetworkOptions
{
    HiddenSize = Hidden, Epochs = epochs, BatchSize = BatchSize, LearningRate = 1e-3f, Seed = 1,
    Progress = new Progress(r =>
    {
        reportTimestamps.Add(Stopwatch.GetTimestamp());
        epochTimes.Add((r.Elapsed - last).TotalSeconds);
        last = r.Elapsed;
    }),
};
// Warm-up: small Fits first, so that the timed Fit measures training rather than the JIT compiling ML.NET's and our
// code (several seconds of CPU in a fresh process), the same way as the scoring paths below: Fits on 5,000 rows (enough
// for the trainer to read them on two threads, as it reads the whole set) until two in a row leave the JIT nearly idle.
// --cold skips it and times a first Fit.
IDataView warmUp = ml.Data.TakeRows(train, WarmUpRows);
int warmUpFits = 0;
if (!cold)
{
    var warmUpTrainer = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = Hidden, Epochs = 1, BatchSize = BatchSize, Seed = 1 });
    warmUpFits = WarmUp(() => warmUpTrainer.Fit(warmUp));
}

// Memory: the garbage of reading the files is returned to the system first (it is no part of the data or of Fit),
// and the peak is measured during Fit alone where the system allows it.
WorkingSet.ReleaseGarbage();
long workingSetBefore = WorkingSet.Current(), heapBefore = WorkingSet.ManagedHeap(), lifetimePeak = WorkingSet.Peak();
bool peakOfFitAlone = WorkingSet.TryResetPeak();
if (!cold)
{
    // The calls just above (reading /proc, a full collection) leave recompilations queued for the JIT's background
    // thread, which would otherwise run during the timed Fit and take a core from it.
    WaitForQuietJit();
}

TimeSpan jitBefore = JitInfo.GetCompilationTime();
long methodsBefore = JitInfo.GetCompiledMethodCount();
long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
long fitStart = Stopwatch.GetTimestamp();
NeuralNetworkPredictionTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(train);
long fitEnd = Stopwatch.GetTimestamp();
double fitAllocatedMegabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6;
string fitCollections = string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));
double jitSeconds = (JitInfo.GetCompilationTime() - jitBefore).TotalSeconds;
long jitMethods = JitInfo.GetCompiledMethodCount() - methodsBefore;
double fitSeconds = Stopwatch.GetElapsedTime(fitStart, fitEnd).TotalSeconds;
double peakWorkingSet = WorkingSet.Peak() / 1e6;
// The first report comes at the end of the first epoch, the last one at the end of the last epoch.
double beforeFirstEpoch = Stopwatch.GetElapsedTime(fitStart, reportTimestamps[0]).TotalSeconds - epochTimes[0];
double afterLastEpoch = Stopwatch.GetElapsedTime(reportTimestamps[^1], fitEnd).TotalSeconds;
// The trainer's copy of the training rows: pixels up to TrainingDefaults.SparseInputDensity non-zero are held as compressed
// sparse rows (a byte gap from the column before and a byte code into a table of the 256 pixel values, 2 bytes a non-zero,
// plus an int and a ushort a row), denser data as float rows; the labels as one class index a row (ClassIndices: a byte
// a row up to 256 classes).
long nonZeros = trainRows.Sum(r => (long)r.Features.Count(v => v != 0f));
bool heldSparse = nonZeros <= TrainingDefaults.SparseInputDensity * trainRows.Count * MnistFiles.Pixels;
int labelBytes = new ClassIndices(0, Classes).BytesPerRow;
double copyMegabytes = ((heldSparse ? (nonZeros * 2.0) + ((trainRows.Count + 1) * 4.0) + (trainRows.Count * 2.0) : trainRows.Count * MnistFiles.Pixels * 4.0)
    + (trainRows.Count * (double)labelBytes)) / 1e6;
string copyForm = (heldSparse
    ? $"sparse, {100.0 * nonZeros / ((double)trainRows.Count * MnistFiles.Pixels):F0}% non-zero, 2 bytes a non-zero"
    : "dense float rows") + $"; labels {labelBytes} byte(s) a row";
double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
NeuralNetworkModelParameters network = model.Model;

int parameters = (784 * Hidden) + Hidden + (Hidden * Classes) + Classes;
// Forward 2·(784·128 + 128·10), backward dW2 and dH 2·128·10 each, dW1 2·784·128 (no gradient for the input):
double flopsPerSample = 2.0 * ((2 * 784 * Hidden) + (3 * Hidden * Classes));
double medianEpoch = Median(epochTimes);
double gflops = flopsPerSample * trainRows.Count / medianEpoch / 1e9;
double fitPerEpoch = fitSeconds / epochs;

Console.WriteLine();
Console.WriteLine(cold ? "Training (our network), a first Fit in this process (--cold)" : $"Training (our network), after {warmUpFits} warm-up Fits on {WarmUpRows:N0} rows (until the JIT was quiet)");
Console.WriteLine($"  epochs: {string.Join(", ", epochTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} s");
Console.WriteLine($"  median epoch            {medianEpoch:F3} s   (target <= 0.20 s)");
Console.WriteLine($"  whole Fit               {fitSeconds:F3} s = {fitPerEpoch:F3} s an epoch (reading the IDataView and building the transformer included)");
Console.WriteLine($"  Fit outside the epochs  {fitSeconds - epochTimes.Sum():F3} s (reading the IDataView into arrays, setup, building the scoring chain)");
Console.WriteLine($"    before the first epoch {beforeFirstEpoch:F3} s (checks, reading the IDataView into arrays, network setup); after the last {afterLastEpoch:F3} s (encoding the network, building the scoring chain)");
Console.WriteLine($"    JIT compilation during Fit {jitSeconds:F3} s of CPU on all threads ({jitMethods} methods, first compilations and tier-1 recompilations)");
Console.WriteLine($"  FLOPs a sample          {flopsPerSample / 1e6:F3} M (= {flopsPerSample / parameters:F2}·params; 6·params would be {6.0 * parameters / 1e6:F3} M)");
Console.WriteLine($"  achieved                {gflops:F1} GFLOP/s = {100 * gflops / peak2:F0}% of the 2-thread FMA peak, {100 * gflops / peak1:F0}% of the 1-thread peak");
Console.WriteLine($"  test accuracy           {accuracy:P2} after {epochs} epochs (target >= 97% after 5)");
Console.WriteLine($"  peak working set        {peakWorkingSet:F0} MB; before Fit {workingSetBefore / 1e6:F0} MB; data (train + test as float rows) {dataMegabytes:F0} MB; peak - data = {peakWorkingSet - dataMegabytes:F0} MB (target <= 100)");
Console.WriteLine($"    before Fit: managed heap {heapBefore / 1e6:F0} MB (the rows), the rest {(workingSetBefore - heapBefore) / 1e6:F0} MB (runtime, ML.NET, compiled code; {baselineWorkingSet / 1e6:F0} MB at start, before any data)");
Console.WriteLine($"    during Fit: +{peakWorkingSet - (workingSetBefore / 1e6):F0} MB = the trainer's copy of the training rows and targets {copyMegabytes:F0} MB ({copyForm}) + {peakWorkingSet - (workingSetBefore / 1e6) - copyMegabytes:F0} MB other "
    + (peakOfFitAlone ? $"(peak of Fit alone; the process's peak before Fit was {lifetimePeak / 1e6:F0} MB)" : "(the peak is the process's: it could not be reset before Fit)"));
Console.WriteLine($"    Fit allocated {fitAllocatedMegabytes:F0} MB of managed memory in all (collections during Fit, gen 0/1/2: {fitCollections}): what no collection reclaimed counts in the peak");

// ML.NET's own trainers on the same data, in the same run.
var comparison = new List<(string Name, double Seconds, double Accuracy)> { ("NeuralNetwork (this library)", fitSeconds, accuracy) };
if (baselines)
{
    comparison.Add(RunBaseline("SdcaMaximumEntropy", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()));
    comparison.Add(RunBaseline("LbfgsMaximumEntropy", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()));
}

Console.WriteLine();
Console.WriteLine($"| trainer | Fit (s) | vs ours | test accuracy |");
Console.WriteLine($"| --- | ---: | ---: | ---: |");
foreach (var (name, seconds, acc) in comparison)
{
    Console.WriteLine($"| {name} | {seconds:F2} | {seconds / fitSeconds:F1}x | {acc:P2} |");
}

// Scoring. Every path is warmed up until the JIT has finished with it (see MeasureMicros), the same way before and
// after Load: the first path measured in a process otherwise pays for tiering up ML.NET's row code, which the paths
// after it share. The first pass of each path (the rows scored while it warms up) is reported beside the median.
float[][] testFeatures = [.. testRows.Select(r => r.Features)];
var scoring = new List<(string Name, Timing Time)>();
Action directPass = DirectPass(network, testFeatures);
Timing direct = MeasureMicros(testRows.Count, null, directPass);
scoring.Add(("direct forward pass on arrays (NeuralNetworkModelParameters.Score)", direct));
scoring.Add(("Transform + iterate the test rows", MeasureTransform(model, test, testRows.Count, directPass)));
scoring.Add(("PredictionEngine.Predict", MeasurePredictionEngine(ml, model, testRows, directPass)));

using var stream = new MemoryStream();
ml.Model.Save(model, train.Schema, stream);
stream.Position = 0;
var fresh = new MLContext(seed: 1);
ITransformer loaded = fresh.Model.Load(stream, out _);
NeuralNetworkModelParameters loadedNetwork = NeuralNetworkModelParameters.FromModel(loaded);
Action loadedDirectPass = DirectPass(loadedNetwork, testFeatures);
scoring.Add(("after Load: direct forward pass", MeasureMicros(testRows.Count, null, loadedDirectPass)));
scoring.Add(("after Load: Transform + iterate the test rows", MeasureTransform(loaded, test, testRows.Count, loadedDirectPass)));
scoring.Add(("after Load: PredictionEngine.Predict", MeasurePredictionEngine(fresh, loaded, testRows, loadedDirectPass)));
double loadedAccuracy = ml.MulticlassClassification.Evaluate(loaded.Transform(test)).MicroAccuracy;

Console.WriteLine();
Console.WriteLine($"Scoring 784-{Hidden}-{Classes}, {testRows.Count} rows, median of {TimedPasses} passes after warm-up (target <= 5 us a row and <= 2x direct)");
Console.WriteLine("(vs direct: the median of the ratios of each timed pass to a direct pass run just before it, so that both see the same machine)");
Console.WriteLine("| path | us a row | vs direct | first pass, us a row | warm-up passes |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var (name, time) in scoring)
{
    Console.WriteLine($"| {name} | {time.Median:F2} | {time.VsDirect:F2}x | {time.FirstPass:F2} | {time.WarmUpPasses} |");
}

Console.WriteLine($"Accuracy after Save/Load: {loadedAccuracy:P2} (before: {accuracy:P2})");
return;

(string, double, double) RunBaseline(string name, IEstimator<ITransformer> trainer)
{
    if (!cold)
    {
        trainer.Fit(warmUp);
    }

    var clock = Stopwatch.StartNew();
    ITransformer fitted = trainer.Fit(train);
    double seconds = clock.Elapsed.TotalSeconds;
    double acc = ml.MulticlassClassification.Evaluate(fitted.Transform(test)).MicroAccuracy;
    Console.WriteLine($"  {name}: {seconds:F2} s, {acc:P2}");
    return (name, seconds, acc);
}

static Action DirectPass(NeuralNetworkModelParameters network, float[][] rows)
{
    var outputs = new float[network.OutputCount];
    return () =>
    {
        foreach (float[] row in rows)
        {
            network.Score(row, outputs);
        }
    };
}

static Timing MeasureTransform(ITransformer model, IDataView data, int rows, Action directPass)
{
    return MeasureMicros(rows, directPass, () =>
    {
        IDataView scored = model.Transform(data);
        DataViewSchema.Column scoreColumn = scored.Schema["Score"], labelColumn = scored.Schema["PredictedLabel"];
        using DataViewRowCursor cursor = scored.GetRowCursor([scoreColumn, labelColumn]);
        ValueGetter<VBuffer<float>> score = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        ValueGetter<uint> label = cursor.GetGetter<uint>(labelColumn);
        VBuffer<float> buffer = default;
        uint key = 0;
        while (cursor.MoveNext())
        {
            score(ref buffer);
            label(ref key);
        }
    });
}

static Timing MeasurePredictionEngine(MLContext context, ITransformer model, List<MnistRow> rows, Action directPass)
{
    using PredictionEngine<MnistRow, MnistPrediction> engine = context.Model.CreatePredictionEngine<MnistRow, MnistPrediction>(model);
    var prediction = new MnistPrediction();
    return MeasureMicros(rows.Count, directPass, () =>
    {
        foreach (MnistRow row in rows)
        {
            engine.Predict(row, ref prediction);
        }
    });
}

// Runs a small Fit, then waits for the JIT to be idle, until two Fits in a row (with their waits) compile at most
// WarmUpQuietMethods methods (at most MaxWarmUpPasses); returns how many ran. The runtime counts calls towards an
// optimized recompilation only once no new method was compiled for ~100 ms, so back-to-back Fits would leave the
// per-row code (reading the IDataView) unoptimized for the timed Fit. Each Fit compiles a few dynamic methods of
// ML.NET's reflection anew, so a quiet Fit is not one with none.
static int WarmUp(Action fit)
{
    const int WarmUpQuietMethods = 15, MaxWarmUpPasses = 25;
    int passes = 0, quietPasses = 0;
    while (passes < MaxWarmUpPasses && quietPasses < 2)
    {
        long methods = JitInfo.GetCompiledMethodCount();
        fit();
        WaitForQuietJit();
        passes++;
        quietPasses = JitInfo.GetCompiledMethodCount() - methods <= WarmUpQuietMethods ? quietPasses + 1 : 0;
    }

    return passes;
}

// Waits (at most 3 s) until the JIT has compiled nothing for 300 ms: a hot method is recompiled only after ~100 ms
// without new first compilations.
static void WaitForQuietJit()
{
    var clock = Stopwatch.StartNew();
    long methods = JitInfo.GetCompiledMethodCount();
    int quietSteps = 0;
    while (quietSteps < 3 && clock.Elapsed < TimeSpan.FromSeconds(3))
    {
        Thread.Sleep(100);
        long now = JitInfo.GetCompiledMethodCount();
        quietSteps = now == methods ? quietSteps + 1 : 0;
        methods = now;
    }
}

// Warms a path up until the JIT is done with it, then times TimedPasses passes and takes the median. The runtime compiles
// a method first without optimizations, then, once it is hot and the JIT has been idle for a moment, again with them
// (twice with dynamic PGO); ML.NET's row code is hundreds of methods, and until they are recompiled a pass runs 2-4x
// slower while the JIT's background thread takes the other core. The warm-up ends after two passes in a row during
// which the JIT compiled at most WarmUpQuietMethods methods (each Transform compiles a dozen small dynamic methods for
// ML.NET's typed rows, so a quiet pass is not a pass with none; two, because a recompilation waits for ~100 ms of
// quiet first); at most MaxWarmUpPasses.
// With a directPass (warmed up already), each timed pass follows one of it, and VsDirect is the median of the ratios.
static Timing MeasureMicros(int rows, Action? directPass, Action pass)
{
    const int WarmUpQuietMethods = 30, MaxWarmUpPasses = 40;
    double firstPass = double.NaN;
    int warmUpPasses = 0, quietPasses = 0;
    while (warmUpPasses < MaxWarmUpPasses && quietPasses < 2)
    {
        long methods = JitInfo.GetCompiledMethodCount();
        long start = Stopwatch.GetTimestamp();
        pass();
        firstPass = warmUpPasses == 0 ? Stopwatch.GetElapsedTime(start).TotalMicroseconds / rows : firstPass;
        warmUpPasses++;
        quietPasses = JitInfo.GetCompiledMethodCount() - methods <= WarmUpQuietMethods ? quietPasses + 1 : 0;
    }

    var times = new List<double>();
    var ratios = new List<double>();
    for (int repeat = 0; repeat < TimedPasses; repeat++)
    {
        long start = Stopwatch.GetTimestamp();
        directPass?.Invoke();

        long middle = Stopwatch.GetTimestamp();
        pass();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(middle);
        times.Add(elapsed.TotalMicroseconds / rows);
        ratios.Add(directPass is null ? 1 : elapsed / Stopwatch.GetElapsedTime(start, middle));
    }

    return new Timing(Median(times), Median(ratios), firstPass, warmUpPasses);
}

static double Median(List<double> values)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    double[] sorted = [.. values.Order()];
    int mid = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

static string RepositoryRoot()
{
    for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
    {
        if (File.Exists(Path.Combine(dir, "MLNetFromScratch.sln")))
        {
            return dir;
        }
    }

    return Directory.GetCurrentDirectory();
}

static string CpuModel()
{
    try
    {
        string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "CPU model unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
    catch (IOException)
    {
        return "CPU model unknown";
    }
}

namespace MnistBenchmark
{
    /// <summary>A scoring path's time: the median of the timed passes and the first (cold) pass, in microseconds a row; the median ratio to the direct pass.</summary>
    internal readonly record struct Timing(double Median, double VsDirect, double FirstPass, int WarmUpPasses);

    /// <summary>An <see cref="IProgress{T}"/> that calls back on the training thread (unlike Progress&lt;T&gt;, which posts).</summary>
    internal sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
