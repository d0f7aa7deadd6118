using System.Text;

namespace Koopid.Bench;

/// <summary>
/// Message texts for the bench data: ordinary support sentences, and in about one customer message of five a piece of
/// PII (e-mail, phone, card, IBAN, IP, SSN) so the redactor does real work on ingest. Built once from a seed; the
/// generator picks from the pools, so texts repeat (as real support traffic does) and generation stays cheap.
/// </summary>
public sealed class TextPool
{
    private static readonly string[] Openers = ["Hi,", "Hello,", "Hey there,", "Good morning,", "Hi again,", "Excuse me,", ""];
    private static readonly string[] Problems =
    [
        "my internet has been down since yesterday", "I was charged twice on my last invoice", "I want to cancel my subscription",
        "the app keeps logging me out", "my delivery never arrived", "I cannot reset my password", "I would like to upgrade my plan",
        "the refund still has not reached my account", "there is an outage in my area", "my order status says pending for a week",
        "the router lights are blinking orange", "I need a copy of my contract", "why did my bill go up this month",
        "the technician did not show up", "can I move my appointment to Friday",
    ];
    private static readonly string[] Closers = ["Thanks.", "Please help.", "Thank you!", "Any update?", "This is urgent.", "", "Cheers"];
    private static readonly string[] StaffLines =
    [
        "Thanks for reaching out, let me look into that for you.", "I can see the issue on your account, one moment please.",
        "I have applied a credit to your account.", "Could you confirm the account holder's name?", "Is there anything else I can help with?",
        "I have escalated this to our technical team.", "Your request has been processed successfully.", "Please restart the device and try again.",
        "I understand how frustrating that is.", "The refund will appear within five business days.", "I am transferring you to the billing team.",
        "Let me check the delivery status with the courier.",
    ];
    private static readonly string[] Names = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Priya", "Arjun", "Lena", "Jonas", "Chloe", "Lucas"];
    private static readonly string[] Surnames = ["Smith", "Garcia", "Müller", "Sharma", "Brown", "Rossi", "Dubois", "Kim", "Nguyen", "Wilson"];

    private readonly string[] customer;
    private readonly string[] staff;

    public TextPool(int seed)
    {
        var r = new Random(seed);
        customer = Enumerable.Range(0, 4096).Select(_ => CustomerText(r)).ToArray();
        staff = Enumerable.Range(0, 1024).Select(_ => $"{StaffLines[r.Next(StaffLines.Length)]} {(r.NextDouble() < 0.3 ? StaffLines[r.Next(StaffLines.Length)] : "")}".Trim()).ToArray();
    }

    public string Customer(Random r) => customer[r.Next(customer.Length)];

    public string Staff(Random r) => staff[r.Next(staff.Length)];

    private static string CustomerText(Random r)
    {
        var s = new StringBuilder();
        s.Append(Openers[r.Next(Openers.Length)]).Append(' ').Append(Problems[r.Next(Problems.Length)]).Append(". ");
        if (r.NextDouble() < 0.2)
        {
            string first = Names[r.Next(Names.Length)], last = Surnames[r.Next(Surnames.Length)];
            s.Append(r.Next(6) switch
            {
                0 => $"You can email me at {first.ToLowerInvariant()}.{last.ToLowerInvariant()}{r.Next(100)}@example.com ",
                1 => $"Call me back on +1 (212) {r.Next(200, 999)}-{r.Next(1000, 9999)} ",
                2 => $"My card is {Luhn(r, "4111")} ",
                3 => $"Please refund to DE89 3704 0044 0532 0130 00 ",
                4 => $"My router IP is 192.168.{r.Next(256)}.{r.Next(1, 255)} ",
                _ => $"My SSN is {r.Next(100, 665)}-{r.Next(10, 99)}-{r.Next(1000, 9999)} ",
            });
        }
        s.Append(Closers[r.Next(Closers.Length)]);
        return s.ToString().Trim();
    }

    /// <summary>A 16-digit number with a valid Luhn check digit.</summary>
    private static string Luhn(Random r, string prefix)
    {
        var digits = prefix + string.Concat(Enumerable.Range(0, 15 - prefix.Length).Select(_ => (char)('0' + r.Next(10))));
        int sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            int d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return digits + (char)('0' + (10 - sum % 10) % 10);
    }
}
