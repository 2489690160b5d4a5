using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>
/// The checks every estimator of ours must pass (after ML.NET's TestEstimatorCore): the promised schema is the
/// fitted one, and the model saved, loaded in this process and in a fresh one, scores bit-identically.
/// </summary>
internal static class EstimatorWorkout
{
    public static ITransformer Run(
        MLContext context, IEstimator<ITransformer> estimator, SchemaShape inputShape, IDataView train, IDataView test,
        params string[] outputColumns)
    {
        ITransformer model = estimator.Fit(train);
        SchemaShape promised = estimator.GetOutputSchema(inputShape);
        DataViewSchema actual = model.GetOutputSchema(train.Schema);
        foreach (string name in outputColumns)
        {
            SchemaShape.Column expected = promised.Single(c => c.Name == name);
            DataViewSchema.Column column = actual[name];
            DataViewType item = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
            Assert.Equal(expected.Kind == SchemaShape.Column.VectorKind.Scalar, column.Type is not VectorDataViewType);
            Assert.Equal(expected.IsKey, item is KeyDataViewType);
            if (!expected.IsKey)
            {
                Assert.Equal(expected.ItemType, item);
            }
        }

        using var directory = new TempDirectory();
        string path = directory.File("model.zip");
        context.Model.Save(model, train.Schema, path);
        ITransformer loaded = context.Model.Load(path, out _);
        IDataView before = model.Transform(test);
        IDataView after = loaded.Transform(test);
        IDataView fresh = FreshProcess.Score(context, path, test, directory.Path);
        foreach (string name in outputColumns)
        {
            if (before.Schema[name].Type is KeyDataViewType)
            {
                Assert.Equal(ColumnBits.Keys(before, name), ColumnBits.Keys(after, name));
                Assert.Equal(ColumnBits.Keys(before, name), ColumnBits.Keys(fresh, name));
            }
            else if (before.Schema[name].Type is BooleanDataViewType)
            {
                Assert.Equal(Booleans(before, name), Booleans(after, name));
                Assert.Equal(Booleans(before, name), Booleans(fresh, name));
            }
            else
            {
                Assert.Equal(ColumnBits.Singles(before, name), ColumnBits.Singles(after, name));
                Assert.Equal(ColumnBits.Singles(before, name), ColumnBits.Singles(fresh, name));
            }
        }

        return model;
    }

    public static bool[] Booleans(IDataView data, string name) =>
        [.. data.GetColumn<bool>(name)];
}
