using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class AccountTests(WebAppFixture app)
{
    [Fact]
    public async Task WrongPassword_RepeatedFiveTimes_LocksTheAccountEvenForTheRightPassword()
    {
        var page = await app.NewSignedInPageAsync("locked-out");
        var stranger = await app.NewPageAsync();
        for (var i = 0; i < 5; i++)
            await TrySignInAsync(stranger, "locked-out", "not-the-password");
        await TrySignInAsync(stranger, "locked-out", WebAppFixture.Password);

        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked after 5 failed sign-ins");
        Assert.Contains("/account/login", stranger.Url, StringComparison.Ordinal);
        await page.CloseAsync();
    }

    private async Task TrySignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync($"{app.BaseUrl}/account/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
