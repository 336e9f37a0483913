using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>A client session's paths: add, remove, backup on and off.</summary>
internal sealed partial class ControlApi
{
    private async Task<JsonHttpResult<PathAddReply>> AddPathAsync(HttpContext context, string session, CancellationToken cancellationToken)
    {
        var target = FindClientSession(session);
        MultipathPath path;
        using (var body = await ControlBody.ReadAsync(context.Request, ["remote", "local", "backup"], cancellationToken).ConfigureAwait(false))
        {
            if (!EndPointText.TryParseRemote(body.RequireString("remote"), out var remote, out var problem))
            {
                throw ControlException.BadRequest($"\"remote\": {problem}");
            }

            var localText = body.OptionalString("local");
            System.Net.IPEndPoint? local = null;
            if (localText is not null && !EndPointText.TryParseLocal(localText, out local, out problem))
            {
                throw ControlException.BadRequest($"\"local\": {problem}");
            }

            path = new MultipathPath(remote, local, body.OptionalBoolean("backup") ?? false);
        }

        int id;
        try
        {
            id = target.AddPath(path);
        }
        catch (InvalidOperationException e)
        {
            throw ControlException.Conflict(e.Message);
        }

        var spec = path.ToString();
        Applied(context, $"session {target.Id}: added path {id} ({spec})");
        return Json(new PathAddReply(target.Id, id, spec), ControlJsonContext.Messages.PathAddReply, StatusCodes.Status201Created);
    }

    private JsonHttpResult<PathChangeReply> RemovePath(HttpContext context, string session, string path)
    {
        var (target, id, backup) = FindPath(session, path);
        if (!target.RemovePath(id))
        {
            throw RemovedAlready(target, id);
        }

        Applied(context, $"session {target.Id}: removed path {id}");
        return Json(new PathChangeReply(target.Id, id, backup, Removed: true), ControlJsonContext.Messages.PathChangeReply);
    }

    private async Task<JsonHttpResult<PathChangeReply>> SetPathBackupAsync(HttpContext context, string session, string path, CancellationToken cancellationToken)
    {
        var (target, id, _) = FindPath(session, path);
        bool backup;
        using (var body = await ControlBody.ReadAsync(context.Request, ["backup"], cancellationToken).ConfigureAwait(false))
        {
            backup = body.RequireBoolean("backup");
        }

        if (!target.SetPathBackup(id, backup))
        {
            throw RemovedAlready(target, id);
        }

        Applied(context, $"session {target.Id}: path {id} is {(backup ? "a backup" : "regular")}");
        return Json(new PathChangeReply(target.Id, id, backup, Removed: false), ControlJsonContext.Messages.PathChangeReply);
    }

    private MultipathSession FindClientSession(string session)
    {
        var target = FindSession(session);
        return target.IsClient
            ? target
            : throw ControlException.Conflict($"session {target.Id} is the server's side: only the client's side adds, removes and marks paths");
    }

    private (MultipathSession Session, int Id, bool Backup) FindPath(string session, string path)
    {
        var target = FindClientSession(session);
        if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ControlException.BadRequest($"the path must be a path id (a number), not '{path}'");
        }

        foreach (var known in target.Paths)
        {
            if (known.Id == id)
            {
                return known.Removed ? throw RemovedAlready(target, id) : (target, id, known.Backup);
            }
        }

        throw ControlException.NotFound($"session {target.Id} has no path {id}");
    }

    private static ControlException RemovedAlready(MultipathSession session, int id) =>
        ControlException.Conflict($"path {id} of session {session.Id} was removed already");
}
