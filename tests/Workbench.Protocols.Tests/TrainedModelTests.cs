using Workbench.Models.Tokenizer;
using Workbench.Protocols.Model;

namespace Workbench.Protocols.Tests;

public class TrainedModelTests
{
    [TrainedModelFact]
    public void Greedy_decoding_of_stories260K_continues_the_known_story()
    {
        var loaded = Trained.Model;
        Assert.NotNull(loaded.Tokenizer);
        var tokens = Sampler.Generate(loaded.Model, [Llama2cTokenizer.Bos], 30, 0, 1);
        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", loaded.Tokenizer!.Decode(tokens));
    }

    [TrainedModelFact]
    public void Tokenizer_round_trips_text()
    {
        var tok = Trained.Model.Tokenizer!;
        const string text = "Lily saw a big red ball in the park.";
        var ids = tok.Encode(text);
        Assert.Equal(Llama2cTokenizer.Bos, ids[0]);
        Assert.True(ids.Length < text.Length, "BPE merges must shorten the sequence");
        Assert.Equal(text, tok.Decode(ids));
    }
}
