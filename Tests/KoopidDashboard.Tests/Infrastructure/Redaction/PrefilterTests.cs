using KoopidDashboard.Infrastructure.Redaction;
using Xunit;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>The pre-filters may only say "no" when the regex they guard cannot match (docs/redaction.md: output unchanged).</summary>
public sealed class PrefilterTests
{
    private static readonly Redactor Redactor = new();

    [Theory]
    [InlineData("Please help.", false)]
    [InlineData("Thanks. Bye!", false)]
    [InlineData("see example.com", true)]
    [InlineData("www.x", true)]
    [InlineData("e.g. this", true)]
    [InlineData("v.2", true)]
    [InlineData("a._b", true)]
    [InlineData("a.-b", true)]
    [InlineData("ünïcode.ä", true)]
    [InlineData("http://x", true)]
    public void Url_prefilter_says_no_only_without_scheme_or_dot_before_a_word_character(string text, bool expected) =>
        Assert.Equal(expected, Prefilter.MayHaveUrl(text));

    [Theory]
    [InlineData("no digits here", false)]
    [InlineData("room 7", true)]
    [InlineData("arabic ٣", true)] // \d is every Unicode digit: non-ASCII text goes to the regex
    [InlineData("café", true)]
    public void Digit_prefilter_says_no_only_for_ascii_text_without_digits(string text, bool expected) =>
        Assert.Equal(expected, Prefilter.MayHaveDigit(text));

    [Theory]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00.")]
    [InlineData("mail me at a.b@example.org. Thanks.")]
    [InlineData("visit shop.example.com/x. Done.")]
    [InlineData("ip 10.0.0.1 and 2001:db8::1")]
    public void Texts_that_pass_the_prefilters_are_redacted_as_before(string text) =>
        Assert.NotEqual(text, Redactor.Redact(text).Text);
}
