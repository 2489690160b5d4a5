using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch;

/// <summary>
/// The column checks of the neural-network trainers, for a fitted schema and for a <see cref="SchemaShape"/>,
/// so a wrong column fails with the same clear message at <c>GetOutputSchema</c> and at <c>Fit</c>.
/// </summary>
internal static class TrainerSchema
{
    public static void Check(DataViewSchema schema, NeuralNetworkTask task, string labelColumnName, string featureColumnName)
    {
        DataViewSchema.Column features = schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"Feature column '{featureColumnName}' not found.", nameof(schema));
        _ = FeatureCount(features.Type, featureColumnName);
        DataViewSchema.Column label = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException($"Label column '{labelColumnName}' not found.", nameof(schema));
        _ = OutputCount(task, label.Type, label.Type is KeyDataViewType key ? checked((int)key.Count) : 0, labelColumnName);
    }

    public static void Check(SchemaShape shape, NeuralNetworkTask task, string labelColumnName, string featureColumnName)
    {
        if (!TryFind(shape, featureColumnName, out SchemaShape.Column features))
        {
            throw new ArgumentException($"Feature column '{featureColumnName}' not found.", nameof(shape));
        }

        if (features.ItemType != NumberDataViewType.Single || features.IsKey
            || features.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw FeatureTypeError(featureColumnName, (features.ItemType.ToString() ?? "?") + (features.Kind == SchemaShape.Column.VectorKind.VariableVector ? " (variable-size vector)" : ""));
        }

        if (!TryFind(shape, labelColumnName, out SchemaShape.Column label))
        {
            throw new ArgumentException($"Label column '{labelColumnName}' not found.", nameof(shape));
        }

        bool ok = task switch
        {
            NeuralNetworkTask.BinaryClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && !label.IsKey
                && (label.ItemType == BooleanDataViewType.Instance || label.ItemType == NumberDataViewType.Single),
            NeuralNetworkTask.MulticlassClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && label.IsKey,
            _ => !label.IsKey && label.ItemType == NumberDataViewType.Single && label.Kind != SchemaShape.Column.VectorKind.VariableVector,
        };
        if (!ok)
        {
            throw LabelTypeError(task, labelColumnName, label.ItemType.ToString() ?? "?");
        }
    }

    /// <summary>The number of features in a Single or known-size Single-vector column.</summary>
    public static int FeatureCount(DataViewType type, string featureColumnName = "Features") => type switch
    {
        NumberDataViewType t when t == NumberDataViewType.Single => 1,
        VectorDataViewType { ItemType: var item, IsKnownSize: true } v when item == NumberDataViewType.Single => v.Size,
        _ => throw FeatureTypeError(featureColumnName, type.ToString() ?? "?"),
    };

    /// <summary>The number of network outputs the label implies.</summary>
    public static int OutputCount(NeuralNetworkTask task, DataViewType type, int classCount, string labelColumnName = "Label")
    {
        switch (task)
        {
            case NeuralNetworkTask.BinaryClassification when type is BooleanDataViewType || type == NumberDataViewType.Single:
                return 1;
            case NeuralNetworkTask.MulticlassClassification when type is KeyDataViewType { RawType: var raw } && raw == typeof(uint):
                if (classCount < 2)
                {
                    throw new ArgumentException($"Label column '{labelColumnName}' is a key of {classCount} value(s); multiclass classification needs at least 2.", nameof(type));
                }

                return classCount;
            case NeuralNetworkTask.Regression when type == NumberDataViewType.Single:
                return 1;
            case NeuralNetworkTask.Regression when type is VectorDataViewType { ItemType: var item, IsKnownSize: true } v && item == NumberDataViewType.Single:
                return v.Size;
            default:
                throw LabelTypeError(task, labelColumnName, type.ToString() ?? "?");
        }
    }

    private static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        foreach (SchemaShape.Column c in shape)
        {
            if (c.Name == name)
            {
                column = c;
                return true;
            }
        }

        column = default;
        return false;
    }

    private static ArgumentException FeatureTypeError(string column, string actual) => new(
        $"Feature column '{column}' must be Single or a known-size vector of Single, but is {actual}. Use mlContext.Transforms.Concatenate to build a fixed-size vector, and Conversion.ConvertType for other number types.");

    private static ArgumentException LabelTypeError(NeuralNetworkTask task, string column, string actual) => new(task switch
    {
        NeuralNetworkTask.BinaryClassification => $"Label column '{column}' must be Boolean (or Single 0/1) for binary classification, but is {actual}.",
        NeuralNetworkTask.MulticlassClassification => $"Label column '{column}' must be a key type (UInt32 keys) for multiclass classification, but is {actual}. Convert it with mlContext.Transforms.Conversion.MapValueToKey(\"{column}\").",
        _ => $"Label column '{column}' must be Single or a known-size vector of Single for regression, but is {actual}.",
    });
}
