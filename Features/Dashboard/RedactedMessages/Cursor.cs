using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace KoopidDashboard.Features.Dashboard.RedactedMessages;

/// <summary>
/// The opaque keyset cursor: the last row's exact <c>(sent_at, message_id)</c> plus the resolved range it belongs to,
/// base64url-encoded and sealed with HMAC-SHA256 (over the payload and the provider id) so a forged or edited cursor,
/// or one from another provider, is refused. The range travels inside so a caller who omitted <c>start</c>/<c>end</c>
/// (defaults that move with "now") keeps paging the same range.
/// </summary>
public sealed record Cursor(long StartMs, long EndMs, long SentAtMicros, long MessageId)
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 4 * 8;
    private const int MacLength = 32;
    public const int MaxEncodedLength = 100; // base64url of 65 bytes is 87 characters

    public DateTime SentAt => DateTime.UnixEpoch.AddTicks(SentAtMicros * 10);

    public static long ToMicros(DateTime utc) => (DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;

    public string Encode(byte[] key, long providerId)
    {
        var bytes = new byte[PayloadLength + MacLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), StartMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), EndMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(17), SentAtMicros);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(25), MessageId);
        Mac(key, providerId, bytes.AsSpan(0, PayloadLength)).CopyTo(bytes.AsSpan(PayloadLength));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>The cursor, or null when it is not one this service issued for <paramref name="providerId"/>.</summary>
    public static Cursor? TryDecode(string text, byte[] key, long providerId)
    {
        byte[] bytes;
        try
        {
            bytes = text.Length <= MaxEncodedLength ? WebEncoders.Base64UrlDecode(text) : [];
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length != PayloadLength + MacLength || bytes[0] != Version)
            return null;
        var expected = Mac(key, providerId, bytes.AsSpan(0, PayloadLength));
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(PayloadLength)))
            return null;
        return new Cursor(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(17)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(25)));
    }

    private static byte[] Mac(byte[] key, long providerId, ReadOnlySpan<byte> payload)
    {
        Span<byte> message = stackalloc byte[8 + PayloadLength];
        BinaryPrimitives.WriteInt64BigEndian(message, providerId);
        payload.CopyTo(message[8..]);
        return HMACSHA256.HashData(key, message);
    }

    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// A key derived (HMAC, with a purpose label) from <c>Paging:CursorKey</c>, else <c>Auth:SigningKey</c>, so the signing key
    /// itself never signs cursors. With neither configured (an external identity provider only) a per-process random key
    /// is used: cursors then stop working when the service restarts.
    /// </summary>
    public static byte[] KeyFrom(IConfiguration configuration)
    {
        var secret = configuration["Paging:CursorKey"] is { Length: > 0 } cursorKey ? cursorKey : configuration["Auth:SigningKey"];
        return string.IsNullOrEmpty(secret)
            ? ProcessKey
            : HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "KoopidDashboard/RedactedMessages/cursor/v1"u8);
    }
}
