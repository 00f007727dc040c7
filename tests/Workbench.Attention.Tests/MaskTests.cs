using Workbench.Attention;

namespace Workbench.Attention.Tests;

public class MaskTests
{
    [Fact]
    public void Window_admits_keys_within_distance_W()
    {
        var m = AttentionMask.Window(2);
        Assert.True(m.Admits(5, 3, 10));
        Assert.True(m.Admits(5, 7, 10));
        Assert.False(m.Admits(5, 8, 10));
        Assert.Equal(3, m.AdmissibleCount(0, 10));
        Assert.Equal(5, m.AdmissibleCount(5, 10));
    }

    [Fact]
    public void Window_at_least_n_minus_one_is_no_mask()
    {
        for (int i = 0; i < 6; i++)
            Assert.Equal(6, AttentionMask.Window(5).AdmissibleCount(i, 6));
    }

    [Fact]
    public void Negative_window_is_refused_naming_it()
    {
        var e = Assert.Throws<AttentionInputException>(() => AttentionMask.Parse("window:-1"));
        Assert.Equal("window:-1", e.Subject);
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("CAUSAL", "causal")]
    [InlineData("window:3", "window:3")]
    public void Parse_round_trips(string text, string spec) => Assert.Equal(spec, AttentionMask.Parse(text).Spec);

    [Theory]
    [InlineData("diagonal")]
    [InlineData("window:x")]
    [InlineData("window:")]
    public void Parse_refuses_unknown(string text) => Assert.Throws<AttentionInputException>(() => AttentionMask.Parse(text));

    [Fact]
    public void Fully_masked_row_is_named()
    {
        var admitted = new bool[3, 3];
        admitted[0, 0] = admitted[2, 1] = true;
        var e = Assert.Throws<AttentionInputException>(() => AttentionMask.Arbitrary(admitted).RequireNoEmptyRow(3));
        Assert.Equal("row 1", e.Subject);
    }

    [Fact]
    public void Padding_of_wrong_length_is_refused()
    {
        Assert.Throws<AttentionInputException>(() => AttentionMask.Padding([true, false]).Validate(3));
    }
}
