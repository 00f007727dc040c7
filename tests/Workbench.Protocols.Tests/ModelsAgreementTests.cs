using Workbench.Models;
using Workbench.Models.Llama;
using Workbench.Protocols.Model;
using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Tests;

/// <summary>
/// Protocols' instrumented float64 <see cref="Transformer"/>, built from Workbench.Models' loader, must compute the
/// same function as Models' float64 <see cref="LlamaReference"/>: the two passes are written independently (RoPE
/// angles, RMSNorm, GQA, SwiGLU), so agreement to 1e-10 relative pins both the converter and the passes.
/// </summary>
public class ModelsAgreementTests
{
    private const double Tolerance = 1e-10;

    /// <summary>max |protocols − models| / max |models| over every position and vocabulary entry.</summary>
    private static double RelativeLogitError(LoadedModel loaded, LlamaWeights llama, int[] tokens)
    {
        var expected = new LlamaReference(llama).Logits(tokens);
        var actual = loaded.Model.Run(tokens, ProbeOptions.Default).Logits;
        Assert.Equal(expected.Length, actual.Length);
        double error = 0, scale = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Assert.True(scale > 0, "logits must not all vanish, or the comparison says nothing");
        return error / scale;
    }

    private static string WriteCheckpoint(LlamaWeights weights)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wb-protocols-{Guid.NewGuid():N}.bin");
        using (var stream = File.Create(path)) Llama2cLoader.Write(weights, stream);
        return path;
    }

    [Theory]
    [InlineData(true, 1u)]
    [InlineData(false, 2u)]
    public void Random_llama_logits_match_the_models_reference(bool sharedClassifier, uint seed)
    {
        // Grouped-query attention (4 query heads on 2 key/value heads), two layers, RoPE on d_head = 4.
        var config = new LlamaConfig(Dim: 16, HiddenDim: 24, Layers: 2, Heads: 4, KvHeads: 2, VocabSize: 32, SeqLen: 16, SharedClassifier: sharedClassifier);
        var path = WriteCheckpoint(LlamaRandom.Create(config, seed));
        try
        {
            var loaded = LoadedModel.Load(path);
            Assert.Null(loaded.Tokenizer);
            Assert.Equal(sharedClassifier, ReferenceEquals(loaded.Model.Weights.Classifier, loaded.Model.Weights.Embedding));
            int[] tokens = [1, 5, 9, 31, 0, 7, 7, 12, 3, 30, 2, 18];
            Assert.True(RelativeLogitError(loaded, Llama2cLoader.Load(path), tokens) <= Tolerance);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_changed_weight_is_seen_so_the_comparison_can_fail()
    {
        var config = new LlamaConfig(16, 24, 1, 4, 4, 32, 8, SharedClassifier: true);
        var llama = LlamaRandom.Create(config, 3);
        var path = WriteCheckpoint(llama);
        try
        {
            var loaded = LoadedModel.Load(path);
            llama.Wo[0][5] += 0.25f;
            Assert.True(RelativeLogitError(loaded, llama, [1, 2, 3, 4, 5]) > 1e-6);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Malformed_checkpoint_is_refused_by_the_models_loader_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wb-protocols-bad-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [.. new[] { 64, 172, 5, 8, 4, 512, 512 }.SelectMany(BitConverter.GetBytes), .. new byte[400]]);
        try
        {
            var e = Assert.Throws<ModelFormatException>(() => LoadedModel.Load(path));
            Assert.Equal(path, e.Input);
            Assert.Contains("size mismatch", e.Problem);
        }
        finally { File.Delete(path); }
    }

    [TrainedModelFact]
    public void Stories260K_logits_match_the_models_reference()
    {
        var loaded = Trained.Model;
        var tokens = loaded.Tokenizer!.Encode("Once upon a time, there was a little girl named Lily. She loved to play.");
        Assert.True(RelativeLogitError(loaded, Llama2cLoader.Load(SharedModels.Stories260KCheckpoint()!), tokens) <= Tolerance);
    }

    [TrainedModelFact]
    public void Pieces_spell_the_text_and_unknown_ids_print_as_numbers()
    {
        var loaded = Trained.Model;
        const string text = "Tom had a big red ball.";
        var tokens = loaded.Tokenizer!.Encode(text);
        Assert.Equal(" " + text, string.Concat(tokens.Skip(1).Select(loaded.Piece)));
        Assert.Equal("100000", loaded.Piece(100_000));
    }
}
