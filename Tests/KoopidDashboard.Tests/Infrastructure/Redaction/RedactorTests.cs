using KoopidDashboard.Infrastructure.Redaction;
using Xunit;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

public sealed class RedactorTests
{
    private static readonly Redactor Redactor = new();

    [Theory]
    [InlineData("mail john.doe@example.com now", "mail <EMAIL> now")]
    [InlineData("Écrivez à chloé.bernard@orange.fr.", "Écrivez à <EMAIL>.")]
    [InlineData("<ana+shop@correo.es>", "<<EMAIL>>")]
    [InlineData("jürgen.müller@web.de😊", "<EMAIL>😊")]
    [InlineData("mailto:ana@example.org", "mailto:<EMAIL>")]
    public void Redacts_emails(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("call +1 415-555-2671 pls", "call <PHONE_NUMBER> pls")]
    [InlineData("(212) 555-0187", "<PHONE_NUMBER>")]
    [InlineData("phone: 212-555-0187", "phone: <PHONE_NUMBER>")]
    [InlineData("call me at 2125550187", "call me at <PHONE_NUMBER>")]
    [InlineData("mobile 07700 900123", "mobile <PHONE_NUMBER>")]
    [InlineData("tel 020 7946 0958", "tel <PHONE_NUMBER>")]
    [InlineData("+44 7911 123456", "<PHONE_NUMBER>")]
    [InlineData("llámame al 612 34 56 78", "llámame al <PHONE_NUMBER>")]
    [InlineData("mi móvil es 612345678", "mi móvil es <PHONE_NUMBER>")]
    [InlineData("(+34) 91 123 45 67", "<PHONE_NUMBER>")]
    [InlineData("0034 655 44 33 22", "<PHONE_NUMBER>")]
    [InlineData("appelez le 06 12 34 56 78", "appelez le <PHONE_NUMBER>")]
    [InlineData("portable 07.81.22.33.44", "portable <PHONE_NUMBER>")]
    [InlineData("+33 (0)6 12 34 56 78", "<PHONE_NUMBER>")]
    [InlineData("Handy 0171 1234567", "Handy <PHONE_NUMBER>")]
    [InlineData("Handy: 0151/23456789", "Handy: <PHONE_NUMBER>")]
    [InlineData("+49 (0)30 12345678", "<PHONE_NUMBER>")]
    [InlineData("Tel. 089 12345678", "Tel. <PHONE_NUMBER>")]
    [InlineData("Teelfon 4152756601", "Teelfon <PHONE_NUMBER>")]                       // typo in the phone word
    [InlineData("phone: 415-316-2754 and ticket 9126485965", "phone: <PHONE_NUMBER> and ticket 9126485965")]
    [InlineData("22:38:34 / 955 91 40 22", "22:38:34 / <PHONE_NUMBER>")]
    public void Redacts_phone_numbers(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("card 4111 1111 1111 1111", "card <CREDIT_CARD>")]
    [InlineData("card 4111-1111-1111-1111.", "card <CREDIT_CARD>.")]
    [InlineData("4111111111111111", "<CREDIT_CARD>")]
    [InlineData("amex 3782 822463 10005", "amex <CREDIT_CARD>")]
    [InlineData("mc 2223 0031 2200 3222", "mc <CREDIT_CARD>")]
    [InlineData("4111 1111 1111 1111 2027", "<CREDIT_CARD> 2027")]
    public void Redacts_credit_cards(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("SSN 078-05-1120", "SSN <US_SSN>")]
    [InlineData("ssn: 536 90 4399.", "ssn: <US_SSN>.")]
    public void Redacts_ssns(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", "IBAN <IBAN_CODE> BIC COBADEFFXXX")]
    [InlineData("GB29NWBK60161331926819.", "<IBAN_CODE>.")]
    [InlineData("fr14 2004 1010 0505 0001 3m02 606", "<IBAN_CODE>")]
    [InlineData("FR7630006000011234567890189 et DE75512108001245126199", "<IBAN_CODE> et <IBAN_CODE>")]
    public void Redacts_ibans(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("from 83.45.210.7.", "from <IP_ADDRESS>.")]
    [InlineData("10.0.0.5:3389", "<IP_ADDRESS>:3389")]
    [InlineData("host 2001:db8::ff00:42:8329 down", "host <IP_ADDRESS> down")]
    [InlineData("::1 and fe80::1", "<IP_ADDRESS> and <IP_ADDRESS>")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "<IP_ADDRESS>")]
    [InlineData("::ffff:192.168.1.1", "<IP_ADDRESS>")]
    public void Redacts_ip_addresses(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("see https://example.com/a?b=1.", "see <URL>.")]
    [InlineData("(https://example.com/path_(foo))", "(<URL>)")]
    [InlineData("www.mitienda.es rocks", "<URL> rocks")]
    [InlineData("visit example.com/contact!", "visit <URL>!")]
    [InlineData("status.koopid.io", "<URL>")]
    public void Redacts_urls(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("https://x.example.com/u?email=jane@example.com", "<URL>")]          // URL containing an email
    [InlineData("http://192.168.0.12:8080/admin", "<URL>")]                          // URL containing an IP
    [InlineData("https://wa.me/34612345678", "<URL>")]                               // URL containing a phone
    [InlineData("DE89370400440532013000", "<IBAN_CODE>")]                            // IBAN, not a phone/card
    [InlineData("4111 1111 1111 1111", "<CREDIT_CARD>")]                             // card, not a phone
    [InlineData("123-45-6789", "<US_SSN>")]                                          // SSN, not a phone
    public void Longest_most_specific_match_wins(string input, string expected) => AssertRedacts(input, expected);

    [Theory]
    [InlineData("Order #4111-2222-3333-4445 is late")]
    [InlineData("tracking 1Z999AA10123456784")]
    [InlineData("on 2024-03-15, 15/03/2024 or 15.03.2024 at 14:30 or 09:15:00")]
    [InlineData("$1,234.56 vs 1.234,56 € vs 12.345.678,90 EUR")]
    [InlineData("v2.10.3 and 10.0.1 and version 1.2.3.4 and firmware 5.1.8.15")]
    [InlineData("75008 Paris, SW1A 1AA London, 28013 Madrid, 10115 Berlin, 94105-1234")]
    [InlineData("ref 1234 5678 9012 3456 / 4556737586899856")]
    [InlineData("INV-2024-00123, FAC-2024/0457, RE-2024-1234, 2024-10-1234")]
    [InlineData("15 % off, 8.5% tax, 30%")]
    [InlineData("EAN 4006381333931, ISBN 978-3-16-148410-0")]
    [InlineData("MAC 00:1A:2B:3C:4D:5E")]
    [InlineData("SSNs 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000")]
    [InlineData("Kundennummer 123456789, ticket 4829137560, AC-0907127666")]
    [InlineData("PO 8482806879, ref 4954 5458 1405 1643, load 0.45 0.52 0.61, 848.101.109,00 EUR")]
    [InlineData("ASP.NET Core, Node.js, e.g. this, z.B. das, readme.md")]
    [InlineData("already <EMAIL> and <PHONE_NUMBER> and <CREDIT_CARD>")]
    public void Keeps_lookalikes(string input) => AssertRedacts(input, input);

    [Fact]
    public void Reports_entity_types_in_text_order()
    {
        var result = Redactor.Redact("IBAN DE89370400440532013000, mail a@b.com, tel +34 612 34 56 78, ip 8.8.8.8");
        Assert.Equal(["IBAN_CODE", "EMAIL", "PHONE_NUMBER", "IP_ADDRESS"], result.EntityTypes);
    }

    [Fact]
    public void Returns_null_and_empty_unchanged()
    {
        Assert.Null(Redactor.Redact(null!).Text);
        Assert.Equal(string.Empty, Redactor.Redact(string.Empty).Text);
        Assert.Empty(Redactor.Redact(string.Empty).EntityTypes);
    }

    [Fact]
    public void Returns_same_instance_when_nothing_found()
    {
        const string text = "nothing to see here 🙂 order 12345";
        Assert.Same(text, Redactor.Redact(text).Text);
    }

    [Fact]
    public void EntityTypes_All_lists_every_type_once()
    {
        Assert.Equal(7, EntityTypes.All.Count);
        Assert.Equal(EntityTypes.All.Count, EntityTypes.All.Distinct().Count());
        Assert.Contains("US_SSN", EntityTypes.All);
    }

    [Fact]
    public void Exposes_only_the_parameterless_constructor_to_DI()
    {
        // A public IEnumerable<string> constructor would be chosen by the container and fed an
        // empty sequence, disabling national phone formats.
        var constructors = typeof(Redactor).GetConstructors();
        Assert.Single(constructors);
        Assert.Empty(constructors[0].GetParameters());
    }

    [Fact]
    public void Is_thread_safe()
    {
        const string text = "mail a@b.com, card 4111 1111 1111 1111, tel +44 7911 123456";
        var expected = Redactor.Redact(text);
        Parallel.For(0, 2_000, _ =>
        {
            var r = Redactor.Redact(text);
            Assert.Equal(expected.Text, r.Text);
            Assert.Equal(expected.EntityTypes, r.EntityTypes);
        });
    }

    private static void AssertRedacts(string input, string expected) =>
        Assert.Equal(expected, Redactor.Redact(input).Text);
}
