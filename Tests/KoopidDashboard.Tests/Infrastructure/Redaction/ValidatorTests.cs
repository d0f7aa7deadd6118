using KoopidDashboard.Infrastructure.Redaction;
using Xunit;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

public sealed class ValidatorTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("5555555555554444", true)]
    [InlineData("378282246310005", true)]
    [InlineData("6011111111111117", true)]
    [InlineData("79927398713", true)]
    [InlineData("4111222233334445", false)]
    [InlineData("4111111111111112", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("4111 1111 1111 1111", false)] // separators must be stripped by the caller
    [InlineData("0", false)]
    [InlineData("", false)]
    public void Luhn_validates_check_digit(string digits, bool expected) =>
        Assert.Equal(expected, Luhn.IsValid(digits));

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00", true)]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("de89370400440532013000", true)]
    [InlineData("GB29 NWBK 6016 1331 9268 19", true)]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606", true)]
    [InlineData("ES91 2100 0418 4502 0005 1332", true)]
    [InlineData("NL91 ABNA 0417 1643 00", true)]
    [InlineData("CH93 0076 2011 6238 5295 7", true)]
    [InlineData("DE89 3704 0044 0532 0130 01", false)] // wrong check
    [InlineData("DE88 3704 0044 0532 0130 00", false)] // wrong check digits
    [InlineData("DE89 3704 0044 0532 0130 0", false)]  // too short for DE
    [InlineData("XX89 3704 0044 0532 0130 00", false)] // unknown country
    [InlineData("GB29-NWBK-6016-1331-9268-19", false)] // dashes are not an IBAN format
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Iban_checks_country_length_and_mod97(string? iban, bool expected) =>
        Assert.Equal(expected, Iban.IsValid(iban));

    [Theory]
    [InlineData("DE", 22)]
    [InlineData("fr", 27)]
    [InlineData("ES", 24)]
    [InlineData("GB", 22)]
    [InlineData("NL", 18)]
    [InlineData("US", 0)]
    [InlineData("D", 0)]
    public void Iban_knows_registry_lengths(string country, int expected) =>
        Assert.Equal(expected, Iban.ExpectedLength(country));

    [Theory]
    [InlineData("078-05-1120", true)]
    [InlineData("123-45-6789", true)]
    [InlineData("899-99-9999", true)]
    [InlineData("001 01 0001", true)]
    [InlineData("123456789", true)]
    [InlineData("000-12-3456", false)] // area 000
    [InlineData("666-12-3456", false)] // area 666
    [InlineData("900-12-3456", false)] // area 9xx
    [InlineData("999-12-3456", false)]
    [InlineData("123-00-4567", false)] // group 00
    [InlineData("123-45-0000", false)] // serial 0000
    [InlineData("123-45-678", false)]
    [InlineData("123-45-67890", false)]
    [InlineData("12a-45-6789", false)]
    public void UsSsn_applies_SSA_rules(string ssn, bool expected) =>
        Assert.Equal(expected, UsSsn.IsValid(ssn));
}
