namespace Workbench.Models.Heads;

/// <summary>
/// ∂(log-likelihood)/∂W_Q^h and ∂/∂W_K^{kv(h)} in the d_model × d_head factor orientation of
/// <see cref="HeadFactors"/>. Under grouped-query attention W_K^{kv(h)} is one parameter shared by several
/// query heads, so its gradient includes every query head that reads it.
/// </summary>
public sealed record HeadGradient(int Layer, int Head, int KvHead, double LogLikelihood, double[,] DWQ, double[,] DWK);
