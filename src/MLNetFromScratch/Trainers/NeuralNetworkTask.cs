namespace MLNetFromScratch;

/// <summary>What a neural-network trainer learns to predict, which fixes its output layer and loss.</summary>
public enum NeuralNetworkTask
{
    /// <summary>One logit, sigmoid, binary cross-entropy. Label: Boolean (or Single 0/1).</summary>
    BinaryClassification,

    /// <summary>K logits, softmax, cross-entropy. Label: a key type of K values.</summary>
    MulticlassClassification,

    /// <summary>One output per target, identity, squared error. Label: Single or a known-size vector of Single.</summary>
    Regression,
}
