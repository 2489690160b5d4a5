namespace MLNetFromScratch.Core.Network;

/// <summary>
/// The output layer's link and the loss it is trained with. Every head is paired with the loss whose
/// gradient with respect to the logits is A2 - Y, so backpropagation starts the same way for all.
/// </summary>
public enum NetworkHead
{
    /// <summary>One logit; A2 = sigmoid(Z2); binary cross-entropy computed from the logit.</summary>
    Logistic,

    /// <summary>K logits; A2 = softmax(Z2); cross-entropy computed from the logits (log-sum-exp).</summary>
    Softmax,

    /// <summary>K outputs; A2 = Z2; half the squared error, ½‖A2 - Y‖², averaged over rows.</summary>
    Identity,
}
