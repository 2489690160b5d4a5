using Microsoft.ML;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>
/// The entry point used when the tests run this assembly in a fresh process: <c>score model.zip input.idv output.idv</c>
/// loads a saved model with no other set-up, scores a binary data file and saves the result as a binary data file.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 4 || args[0] != "score")
        {
            Console.Error.WriteLine("usage: score <model.zip> <input.idv> <output.idv>");
            return 2;
        }

        var context = new MLContext(seed: 1);
        ITransformer model = context.Model.Load(args[1], out _);
        IDataView input = context.Data.LoadFromBinary(args[2]);
        using FileStream output = File.Create(args[3]);
        context.Data.SaveAsBinary(model.Transform(input), output, keepHidden: false);
        return 0;
    }
}
