using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tessera.Tokens;

/// <summary>
/// Says whether a claim looks like personal or secret data, by its name and by its value. A signed JWT
/// is readable by anyone who holds it (DESIGN.md principle 6), so the token issuer refuses such claims
/// unless a profile allows them, and <c>tessera inspect</c> / <c>tessera lint</c> warn about them.
/// </summary>
/// <remarks>
/// Name rules look at the last segment of a namespaced claim (<c>https://example.com/claims/email</c>),
/// lower-cased, without <c>_</c>, <c>-</c> and <c>.</c>. Value rules recognise an email address, an
/// E.164 phone number, a Luhn-valid card number with a card-network prefix, an IBAN with a valid
/// checksum, a US social security number, a PEM private key, an embedded JWT and well-known API key
/// prefixes. Booleans and <c>null</c> are never personal data (<c>email_verified: true</c> is not an
/// address). The work is bounded: nesting depth, members visited and string length are capped.
/// </remarks>
internal static partial class PersonalDataDetector
{
    /// <summary>An email address.</summary>
    public const string Email = "email";
    /// <summary>A telephone number.</summary>
    public const string Phone = "phone";
    /// <summary>A postal address or part of one.</summary>
    public const string PostalAddress = "postal_address";
    /// <summary>A date of birth.</summary>
    public const string BirthDate = "birth_date";
    /// <summary>A government identifier: social security, national ID, passport, tax or driving licence number.</summary>
    public const string NationalId = "national_id";
    /// <summary>A payment card number or its security code.</summary>
    public const string CardNumber = "card_number";
    /// <summary>A bank account number (IBAN).</summary>
    public const string BankAccount = "bank_account";
    /// <summary>A person's name.</summary>
    public const string PersonName = "person_name";
    /// <summary>An IP address, which identifies a person's connection.</summary>
    public const string IpAddress = "ip_address";
    /// <summary>A password or PIN.</summary>
    public const string Password = "password";
    /// <summary>A secret, credential, private key or another token.</summary>
    public const string Secret = "secret";
    /// <summary>An API key or access key.</summary>
    public const string ApiKey = "api_key";

    private const int MaxDepth = 8;
    private const int MaxVisited = 256;
    private const int MaxPatternLength = 4096;

    private static readonly FrozenDictionary<string, string> ExactNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["email"] = Email, ["mail"] = Email, ["emailaddress"] = Email, ["upn"] = Email,
        ["phone"] = Phone, ["phonenumber"] = Phone, ["mobile"] = Phone, ["mobilenumber"] = Phone, ["tel"] = Phone,
        ["telephone"] = Phone, ["cellphone"] = Phone, ["msisdn"] = Phone, ["fax"] = Phone,
        ["address"] = PostalAddress, ["street"] = PostalAddress, ["streetaddress"] = PostalAddress, ["postalcode"] = PostalAddress,
        ["postcode"] = PostalAddress, ["zip"] = PostalAddress, ["zipcode"] = PostalAddress,
        ["birthdate"] = BirthDate, ["dateofbirth"] = BirthDate, ["dob"] = BirthDate, ["birthday"] = BirthDate,
        ["ssn"] = NationalId, ["socialsecuritynumber"] = NationalId, ["nationalid"] = NationalId, ["nationalidentifier"] = NationalId,
        ["nin"] = NationalId, ["nino"] = NationalId, ["taxid"] = NationalId, ["tin"] = NationalId, ["passport"] = NationalId,
        ["passportnumber"] = NationalId, ["driverslicense"] = NationalId, ["driverlicense"] = NationalId, ["drivinglicence"] = NationalId,
        ["idnumber"] = NationalId, ["personalnumber"] = NationalId, ["personnummer"] = NationalId, ["bsn"] = NationalId, ["aadhaar"] = NationalId,
        ["cardnumber"] = CardNumber, ["creditcard"] = CardNumber, ["creditcardnumber"] = CardNumber, ["ccnumber"] = CardNumber,
        ["cardno"] = CardNumber, ["pan"] = CardNumber, ["cvv"] = CardNumber, ["cvc"] = CardNumber, ["cvv2"] = CardNumber,
        ["iban"] = BankAccount, ["bankaccount"] = BankAccount, ["accountnumber"] = BankAccount, ["bankaccountnumber"] = BankAccount,
        ["name"] = PersonName, ["givenname"] = PersonName, ["familyname"] = PersonName, ["middlename"] = PersonName,
        ["fullname"] = PersonName, ["firstname"] = PersonName, ["lastname"] = PersonName, ["surname"] = PersonName,
        ["ip"] = IpAddress, ["ipaddress"] = IpAddress, ["ipaddr"] = IpAddress, ["clientip"] = IpAddress, ["remoteip"] = IpAddress,
        ["ipaddr6"] = IpAddress,
        ["pin"] = Password, ["passcode"] = Password,
        ["otp"] = Secret, ["credential"] = Secret, ["credentials"] = Secret, ["privatekey"] = Secret, ["token"] = Secret,
        ["accesstoken"] = Secret, ["refreshtoken"] = Secret, ["idtoken"] = Secret, ["sessiontoken"] = Secret, ["authtoken"] = Secret,
        ["bearertoken"] = Secret, ["connectionstring"] = Secret, ["sessionkey"] = Secret,
        ["apikey"] = ApiKey, ["xapikey"] = ApiKey, ["accesskey"] = ApiKey, ["accesskeyid"] = ApiKey, ["apitoken"] = ApiKey,
        ["subscriptionkey"] = ApiKey,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Checked in order against the normalised name when no exact rule matched.
    private static readonly (string Fragment, string Category)[] NameFragments =
    [
        ("password", Password), ("passwd", Password), ("secret", Secret), ("privatekey", Secret), ("apikey", ApiKey),
        ("email", Email), ("phone", Phone), ("ipaddress", IpAddress), ("address", PostalAddress), ("street", PostalAddress),
        ("birth", BirthDate), ("passport", NationalId), ("socialsecurity", NationalId), ("creditcard", CardNumber),
        ("cardnumber", CardNumber), ("iban", BankAccount),
    ];

    // Claims whose values are identifiers or protocol data: a long number there is an ID, not a card or account.
    private static readonly FrozenSet<string> IdentifierClaims = new[]
    {
        "iss", "sub", "aud", "jti", "sid", "azp", "client_id", "nonce", "oid", "tid", "uid", "at_hash", "c_hash", "s_hash",
        "scope", "scp", "acr", "amr", "cnf", "act", "kid", "exp", "iat", "nbf", "auth_time", "updated_at",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] ApiKeyPrefixes = ["sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "glpat-"];

    /// <summary>
    /// The category of personal or secret data that <paramref name="claimName"/> with <paramref name="value"/>
    /// looks like (<see cref="Email"/>, <see cref="Password"/>, …), or null when it looks like neither.
    /// </summary>
    public static string? Classify(string claimName, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(claimName);
        var visited = 0;
        return Classify(claimName, value, 0, ref visited);
    }

    /// <summary>A category as a noun phrase with its article, for messages: "an email address", "an API key".</summary>
    public static string Describe(string category) => category switch
    {
        Email => "an email address",
        Phone => "a phone number",
        PostalAddress => "a postal address",
        BirthDate => "a date of birth",
        NationalId => "a national identifier",
        CardNumber => "a payment card number",
        BankAccount => "a bank account number",
        PersonName => "a person's name",
        IpAddress => "an IP address",
        Password => "a password",
        ApiKey => "an API key",
        Secret => "a secret",
        _ => "a " + category.Replace('_', ' '),
    };

    /// <summary>True for categories that are credentials rather than facts about a person: showing their value hands over access.</summary>
    public static bool IsCredential(string category) => category is Password or Secret or ApiKey;

    private static string? Classify(string name, JsonElement value, int depth, ref int visited)
    {
        if (++visited > MaxVisited || depth > MaxDepth)
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Object:
                return ByName(name, isText: false) ?? ClassifyMembers(value, depth, ref visited);
            case JsonValueKind.Array:
                return ByName(name, isText: false) ?? ClassifyElements(name, value, depth, ref visited);
            case JsonValueKind.Number:
                return ByName(name, isText: false) ?? (IsIdentifierClaim(name) ? null : ByDigits(value.GetRawText(), formatted: false));
            default:
                return ByName(name, isText: true) ?? ByValue(name, value.GetString()!);
        }
    }

    private static string? ClassifyMembers(JsonElement value, int depth, ref int visited)
    {
        foreach (var member in value.EnumerateObject())
        {
            var found = Classify(member.Name, member.Value, depth + 1, ref visited);
            if (found is not null || visited > MaxVisited)
            {
                return found;
            }
        }

        return null;
    }

    private static string? ClassifyElements(string name, JsonElement value, int depth, ref int visited)
    {
        foreach (var element in value.EnumerateArray())
        {
            // Array elements are values of the same claim; the name rules already ran for it.
            var found = element.ValueKind switch
            {
                JsonValueKind.String => ByValue(name, element.GetString()!),
                JsonValueKind.Object => ClassifyMembers(element, depth + 1, ref visited),
                _ => null,
            };
            if (found is not null || ++visited > MaxVisited)
            {
                return found;
            }
        }

        return null;
    }

    // A fragment naming a credential counts only for text: "password_changed_at": 1700000000 is a time, not a password.
    private static string? ByName(string claimName, bool isText)
    {
        var name = Normalise(claimName);
        if (name.Length == 0)
        {
            return null;
        }

        if (ExactNames.TryGetValue(name, out var category))
        {
            return category;
        }

        foreach (var (fragment, fragmentCategory) in NameFragments)
        {
            if (name.Contains(fragment, StringComparison.Ordinal) && (isText || !IsCredential(fragmentCategory)))
            {
                return fragmentCategory;
            }
        }

        return null;
    }

    private static string? ByValue(string claimName, string text)
    {
        if (text.Length is < 5 or > MaxPatternLength)
        {
            return null;
        }

        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return Secret;
        }

        if (JwtPattern().IsMatch(text))
        {
            return Secret;
        }

        if (AwsAccessKeyPattern().IsMatch(text) || ApiKeyPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal) && text.Length >= p.Length + 16))
        {
            return ApiKey;
        }

        if (EmailPattern().IsMatch(text))
        {
            return Email;
        }

        if (IsIdentifierClaim(claimName))
        {
            return null;
        }

        if (PhonePattern().IsMatch(text))
        {
            return Phone;
        }

        if (SsnPattern().IsMatch(text))
        {
            return NationalId;
        }

        return IsIban(text) ? BankAccount : ByDigits(text, formatted: true);
    }

    private static bool IsIdentifierClaim(string claimName) => IdentifierClaims.Contains(claimName);

    // 13 to 19 digits (spaces or dashes allowed between them in strings), a card network's prefix, and a valid Luhn check digit.
    private static string? ByDigits(string text, bool formatted)
    {
        if (text.Length > 32)
        {
            return null;
        }

        Span<int> digits = stackalloc int[19];
        var count = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                if (count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c - '0';
            }
            else if (!formatted || (c is not (' ' or '-')))
            {
                return null;
            }
        }

        if (count < 13 || !HasCardPrefix(digits[..count]))
        {
            return null;
        }

        return Luhn(digits[..count]) ? CardNumber : null;
    }

    private static bool HasCardPrefix(ReadOnlySpan<int> d)
    {
        var two = (d[0] * 10) + d[1];
        var four = (two * 100) + (d[2] * 10) + d[3];
        return d[0] == 4                                  // Visa
            || two is >= 51 and <= 55                     // Mastercard
            || four is >= 2221 and <= 2720                // Mastercard 2-series
            || two is 34 or 37                            // American Express
            || four == 6011 || two == 65                  // Discover
            || four is >= 3528 and <= 3589                // JCB
            || two is 36 or 38 || (four is >= 3000 and <= 3059) // Diners Club
            || two == 62;                                 // UnionPay
    }

    private static bool Luhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    // ISO 13616: two letters, two check digits, 11 to 30 letters or digits; the rearranged number mod 97 is 1.
    private static bool IsIban(string text)
    {
        Span<char> compact = stackalloc char[34];
        var length = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length || !char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length < 15 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1]) || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    private static string Normalise(string claimName)
    {
        var start = claimName.LastIndexOfAny(['/', ':', '#']) + 1;
        var segment = claimName.AsSpan(start);
        if (segment.Length > 64)
        {
            return string.Empty;
        }

        Span<char> buffer = stackalloc char[segment.Length];
        var length = 0;
        foreach (var c in segment)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9][0-9 ()\-]{7,20}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"^(?:AKIA|ASIA)[0-9A-Z]{16}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex AwsAccessKeyPattern();
}
