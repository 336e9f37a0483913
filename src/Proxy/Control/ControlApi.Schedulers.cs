using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ProgMp.Runtime.Registry;

namespace ProgMp.Proxy.Control;

/// <summary>Loading, removing and choosing schedulers; registers.</summary>
internal sealed partial class ControlApi
{
    private const string TextPath = "<text>";

    private JsonHttpResult<SchedulerListReply> ListSchedulers()
    {
        var schedulers = new List<SchedulerReport>();
        foreach (var name in Registry.Names)
        {
            if (Registry.TryGet(name, out var program))
            {
                schedulers.Add(new SchedulerReport(program.Name, program.Path, program.Name == Options.DefaultScheduler, program.Warnings.Select(Report).ToList()));
            }
        }

        return Json(new SchedulerListReply(Options.DefaultScheduler, Options.DefaultRegisters, schedulers), ControlJsonContext.Messages.SchedulerListReply);
    }

    /// <summary>Compiles first and loads only a program that compiles (and declares the name asked for): the registry swaps it in atomically.</summary>
    private async Task<JsonHttpResult<LoadReply>> LoadSchedulerAsync(HttpContext context, CancellationToken cancellationToken)
    {
        string source;
        string? name;
        string path;
        using (var body = await ControlBody.ReadAsync(context.Request, ["source", "name", "path"], cancellationToken).ConfigureAwait(false))
        {
            source = body.RequireString("source");
            name = body.OptionalString("name");
            path = body.OptionalString("path") ?? TextPath;
        }

        if (path.Length == 0)
        {
            throw ControlException.BadRequest("\"path\" must not be empty");
        }

        SchedulerCompilation compilation;
        try
        {
            compilation = Registry.Compile(source, path);
        }
        catch (InvalidOperationException e)
        {
            throw ControlException.Conflict($"this host cannot load programs from text: {e.Message}");
        }

        if (compilation.Program is not { } program)
        {
            var errors = compilation.Diagnostics.Count(d => d.IsError);
            throw new ControlException(
                StatusCodes.Status422UnprocessableEntity,
                $"the scheduler does not compile: {errors} error{(errors == 1 ? "" : "s")}",
                compilation.Diagnostics.Select(Report).ToList());
        }

        if (name is not null && name != program.Name)
        {
            throw ControlException.BadRequest($"the program declares SCHEDULER {program.Name}, not {name}; nothing was loaded");
        }

        var replaced = Registry.Contains(program.Name);
        Registry.Set(program);
        Applied(context, $"{(replaced ? "replaced" : "loaded")} scheduler {program.Name}");
        return Json(new LoadReply(program.Name, replaced, program.Warnings.Select(Report).ToList()), ControlJsonContext.Messages.LoadReply);
    }

    private JsonHttpResult<RemoveReply> RemoveScheduler(HttpContext context, string name)
    {
        // Streams whose scheduler goes fall back to the default; without a default they would stall.
        if (name == Options.DefaultScheduler)
        {
            throw ControlException.Conflict($"{name} is the default scheduler; choose another default first");
        }

        if (!Registry.Remove(name))
        {
            throw UnknownScheduler(name);
        }

        Applied(context, $"removed scheduler {name}");
        return Json(new RemoveReply(name), ControlJsonContext.Messages.RemoveReply);
    }

    private async Task<JsonHttpResult<DefaultSchedulerReply>> SetDefaultSchedulerAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var name = await ReadSchedulerChoiceAsync(context, cancellationToken).ConfigureAwait(false);
        Options.DefaultScheduler = name;
        Applied(context, $"the default scheduler is {name}");
        return Json(new DefaultSchedulerReply(name), ControlJsonContext.Messages.DefaultSchedulerReply);
    }

    private async Task<JsonHttpResult<DefaultRegisterReply>> SetDefaultRegisterAsync(HttpContext context, string register, CancellationToken cancellationToken)
    {
        var number = ParseRegister(register);
        var value = await ReadRegisterValueAsync(context, cancellationToken).ConfigureAwait(false);
        Options.SetDefaultRegister(number, value);
        Applied(context, $"new streams start with R{number} = {value}");
        return Json(new DefaultRegisterReply("R" + number, value, Options.DefaultRegisters), ControlJsonContext.Messages.DefaultRegisterReply);
    }

    private async Task<JsonHttpResult<StreamChangeReply>> SetStreamSchedulerAsync(HttpContext context, string session, string stream, CancellationToken cancellationToken)
    {
        var name = await ReadSchedulerChoiceAsync(context, cancellationToken).ConfigureAwait(false);
        List<StreamReference> changed;
        try
        {
            changed = ChangeStreams(session, stream, (target, id) => target.SetStreamScheduler(id, name));
        }
        catch (ArgumentException)
        {
            // Removed between the check and the change.
            throw UnknownScheduler(name);
        }

        Applied(context, $"{Count(changed)} now run {name}");
        return Json(new StreamChangeReply(changed), ControlJsonContext.Messages.StreamChangeReply);
    }

    private async Task<JsonHttpResult<StreamChangeReply>> SetStreamRegisterAsync(HttpContext context, string session, string stream, string register, CancellationToken cancellationToken)
    {
        var number = ParseRegister(register);
        var value = await ReadRegisterValueAsync(context, cancellationToken).ConfigureAwait(false);
        var changed = ChangeStreams(session, stream, (target, id) => target.SetStreamRegister(id, number, value));
        Applied(context, $"R{number} = {value} on {Count(changed)}");
        return Json(new StreamChangeReply(changed), ControlJsonContext.Messages.StreamChangeReply);
    }

    private static string Count(List<StreamReference> streams) => streams.Count == 1 ? "1 stream" : $"{streams.Count} streams";
}
