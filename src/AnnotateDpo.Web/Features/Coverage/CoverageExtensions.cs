using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Web.Features.Coverage;

public static class CoverageExtensions
{
    public static IServiceCollection AddCoverageFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<CoverageService>();
        services.AddHostedService<CoverageWarmup>();
        // The bias section's length difference in tokens, with the demo model's tokenizer (the same as `annotatedpo stats`);
        // an installation without the seed data shows characters only.
        var tokenizerFile = Path.Combine(AppPaths.DemoModelFolder, HfTokenizer.TokenizerFileName);
        if (File.Exists(tokenizerFile))
        {
            services.AddSingleton(_ => HfTokenizer.Load(AppPaths.DemoModelFolder));
            services.AddSingleton<ITokenCounter>(sp =>
            {
                var tokenizer = sp.GetRequiredService<HfTokenizer>();
                return TokenCounter.ForTokenizerFile(tokenizerFile, text => tokenizer.Encode(text).Length);
            });
        }
        return services;
    }
}
