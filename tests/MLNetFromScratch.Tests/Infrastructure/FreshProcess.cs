using System.Diagnostics;
using Microsoft.ML;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>Scores a saved model in a new process that has never seen our components (see <see cref="Program"/>).</summary>
internal static class FreshProcess
{
    public static IDataView Score(MLContext context, string modelPath, IDataView input, string workDirectory)
    {
        string inputPath = Path.Combine(workDirectory, "input.idv");
        string outputPath = Path.Combine(workDirectory, "output.idv");
        using (FileStream stream = File.Create(inputPath))
        {
            context.Data.SaveAsBinary(input, stream, keepHidden: false);
        }

        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { typeof(Program).Assembly.Location, "score", modelPath, inputPath, outputPath })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"The fresh process failed ({process.ExitCode}):\n{stdout}\n{stderr}");
        return context.Data.LoadFromBinary(outputPath);
    }
}
