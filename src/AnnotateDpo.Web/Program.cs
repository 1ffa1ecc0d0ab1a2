using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core;
using AnnotateDpo.Web.Components;
using AnnotateDpo.Web.Features.Ablation;
using AnnotateDpo.Web.Features.Account;
using AnnotateDpo.Web.Features.Annotate;
using AnnotateDpo.Web.Features.Browse;
using AnnotateDpo.Web.Features.Coverage;
using AnnotateDpo.Web.Features.Dynamics;
using AnnotateDpo.Web.Features.Evaluate;
using AnnotateDpo.Web.Features.Generate;
using AnnotateDpo.Web.Features.Review;
using AnnotateDpo.Web.Features.Sft;
using AnnotateDpo.Web.Features.Training;
using AnnotateDpo.Web.Features.Workspaces;
using AnnotateDpo.Web.Hosting;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The web root sits at the top of the checkout, beside seed-data/, so the app and the CLI share one home.
    WebRootPath = Path.Combine(AppPaths.Home, "wwwroot"),
});
// The web root is not the project's own folder, so the packages' assets (MudBlazor, the Blazor script) are layered
// onto it from the build's manifest in every environment, not only in Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddAnnotateCore();
builder.Services.AddAppLocalization();
builder.Services.AddAccountFeature();
builder.Services.AddDemoSeeding();
builder.Services.AddWorkspacesFeature();
builder.Services.AddCoverageFeature();
builder.Services.AddAnnotateFeature();
builder.Services.AddDynamicsFeature();
builder.Services.AddBrowseFeature();
builder.Services.AddSftFeature().AddReviewFeature();
builder.Services.AddTrainingFeature();
builder.Services.AddGenerateFeature();
builder.Services.AddEvaluateFeature();
builder.Services.AddAblationFeature();
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
await app.Services.InitializeDatabaseAsync();

if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStaticFiles();
app.UseRequestLocalization();
app.UseFirstRunSetup();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets().AllowAnonymous();
app.MapCultureSwitch();
app.MapAccountEndpoints();
app.MapBrowseEndpoints();
app.MapTrainingEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Lets the end-to-end tests start the real app in-process.</summary>
public partial class Program;
