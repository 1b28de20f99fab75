using Tessera.Tokens;

namespace Tessera.Cli.Unverified;

/// <summary>How <c>inspect</c> and <c>lint</c> name the categories of <see cref="PersonalDataDetector"/> in sentences.</summary>
internal static class ClaimCategories
{
    /// <summary>The category as a noun phrase with its article: "an email address", "an API key".</summary>
    public static string Phrase(string category) => category switch
    {
        PersonalDataDetector.Email => "an email address",
        PersonalDataDetector.Phone => "a phone number",
        PersonalDataDetector.PostalAddress => "a postal address",
        PersonalDataDetector.BirthDate => "a date of birth",
        PersonalDataDetector.NationalId => "a national identifier",
        PersonalDataDetector.CardNumber => "a payment card number",
        PersonalDataDetector.BankAccount => "a bank account number",
        PersonalDataDetector.PersonName => "a person's name",
        PersonalDataDetector.IpAddress => "an IP address",
        PersonalDataDetector.Password => "a password",
        PersonalDataDetector.ApiKey => "an API key",
        PersonalDataDetector.Secret => "a secret",
        _ => "a " + category.Replace('_', ' '),
    };
}
