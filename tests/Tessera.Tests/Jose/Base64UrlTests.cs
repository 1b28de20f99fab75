using Tessera.Jose;

namespace Tessera.Tests.Jose;

public class Base64UrlTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("AQAB", true)]
    [InlineData("AQ", true)]
    [InlineData("AR", false)] // non-zero trailing bits
    [InlineData("AQ==", false)] // padding
    [InlineData("A", false)] // impossible length
    [InlineData("AQ+B", false)] // standard alphabet
    [InlineData("AQ B", false)] // whitespace
    [InlineData("AQI", true)]
    [InlineData("AQJ", false)] // non-zero trailing bits with 2 left over
    public void IsValid_Input_MatchesCanonicalForm(string encoded, bool expected)
    {
        Assert.Equal(expected, Base64Url.IsValid(encoded.AsSpan()));
        Assert.Equal(expected, Base64Url.IsValid(System.Text.Encoding.ASCII.GetBytes(encoded)));
        Assert.Equal(expected, Base64Url.DecodeOrNull(encoded) is not null);
    }

    [Fact]
    public void Encode_ThenDecode_RoundTrips()
    {
        for (var length = 0; length < 70; length++)
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 37)).ToArray();
            var encoded = Base64Url.Encode(data);
            Assert.Equal(data, Base64Url.DecodeOrNull(encoded));
        }
    }
}
