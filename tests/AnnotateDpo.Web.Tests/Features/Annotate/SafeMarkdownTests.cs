using AnnotateDpo.Web.Features.Annotate;

namespace AnnotateDpo.Web.Tests.Features.Annotate;

public sealed class SafeMarkdownTests
{
    [Fact]
    public void ToHtml_RawHtml_IsEscapedText()
    {
        var html = SafeMarkdown.ToHtml("Before <script>alert(1)</script> **after**\n\n<img src=x onerror=alert(1)>");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<strong>after</strong>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("![x](data:image/svg+xml;base64,PHN2Zz4=)")]
    [InlineData("<javascript:alert(1)>")]
    public void ToHtml_LinkWithUnsafeScheme_LosesItsTarget(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[manual](https://example.com/manual)", "https://example.com/manual")]
    [InlineData("[section](docs/a:b)", "docs/a:b")]
    [InlineData("[mail](mailto:service@example.com)", "mailto:service@example.com")]
    public void ToHtml_SafeLink_KeepsItsTarget(string markdown, string href)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.Contains($"href=\"{href}\"", html, StringComparison.Ordinal);
    }
}
