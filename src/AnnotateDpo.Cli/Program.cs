using System.CommandLine;
using AnnotateDpo.Cli.Commands;

var parsed = CliRoot.Create().Parse(args);
if (parsed.Errors.Count > 0)
{
    // A mistyped option is invalid input like a bad row: exit 2, naming the setting.
    foreach (var error in parsed.Errors)
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    return ExitCodes.InvalidInput;
}
// Ctrl+C cancels the command's token; a training step or a reference pass on a real model can take longer than the
// default two seconds to reach the point where the run is recorded as cancelled.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
