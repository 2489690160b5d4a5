using System.Globalization;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests;

/// <summary>Reads the repository's numeric CSV files for tests of the core, which has no data loader of its own.</summary>
internal static class CsvData
{
    public static (float[][] Features, string[] Labels) Read(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", fileName);
        var features = new List<float[]>();
        var labels = new List<string>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',');
            features.Add(cells[..^1].Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray());
            labels.Add(cells[^1]);
        }

        return (features.ToArray(), labels.ToArray());
    }

    /// <summary>A fixed split: every <paramref name="every"/>-th row (from an offset) goes to the test set.</summary>
    public static (int[] Train, int[] Test) Split(int rows, int every)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            ((r % every) == 2 ? test : train).Add(r);
        }

        return (train.ToArray(), test.ToArray());
    }

    /// <summary>Standardizes with the training rows' mean and standard deviation; returns (train, test) as data sets.</summary>
    public static (TrainingData Train, TrainingData Test) Build(
        float[][] x, float[][] y, int[] trainRows, int[] testRows)
    {
        int inputs = x[0].Length;
        var mean = new double[inputs];
        var sd = new double[inputs];
        foreach (int r in trainRows)
        {
            for (int j = 0; j < inputs; j++)
            {
                mean[j] += x[r][j];
            }
        }

        for (int j = 0; j < inputs; j++)
        {
            mean[j] /= trainRows.Length;
        }

        foreach (int r in trainRows)
        {
            for (int j = 0; j < inputs; j++)
            {
                sd[j] += (x[r][j] - mean[j]) * (x[r][j] - mean[j]);
            }
        }

        for (int j = 0; j < inputs; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / trainRows.Length);
        }

        TrainingData Make(int[] rows)
        {
            int outputs = y[0].Length;
            var f = new float[rows.Length * inputs];
            var t = new float[rows.Length * outputs];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < inputs; j++)
                {
                    f[(i * inputs) + j] = sd[j] > 0 ? (float)((x[rows[i]][j] - mean[j]) / sd[j]) : 0f;
                }

                y[rows[i]].CopyTo(t, i * outputs);
            }

            return new TrainingData(f, t, rows.Length, inputs, outputs);
        }

        return (Make(trainRows), Make(testRows));
    }

    public static float[][] OneHot(string[] labels, out string[] classes)
    {
        classes = labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] names = classes;
        return labels.Select(l =>
        {
            var row = new float[names.Length];
            row[Array.IndexOf(names, l)] = 1f;
            return row;
        }).ToArray();
    }
}
