using System.CommandLine;
using ProgMp.Engine;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp key create FILE [--name NAME]</c> and <c>progmp key show FILE</c>: the identities the proxy
/// pair authenticates with. Each prints the public id and exactly what the other side must be told.
/// Exit code 1: the file exists (create) or holds no usable identity (show); 2: wrong arguments.
/// </summary>
internal static class KeyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("key", "Create or show an identity (an EC P-256 key pair with a self-signed certificate, in one PEM file only its owner may read) for 'proxy remote --key' or 'proxy local --key'.");
        command.Subcommands.Add(CreateCreate(output, error));
        command.Subcommands.Add(CreateShow(output, error));
        return command;
    }

    private static Command CreateCreate(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "The key file to write (mode 0600); an existing file is never replaced." };
        var name = new Option<string?>("--name")
        {
            Description = "A label for people (letters, digits, '.', '_', '@', '-'), shown beside the public id; default: progmp.",
            HelpName = "NAME",
        };
        var command = new Command("create", "Make a new identity in FILE and print its public id, the line for the remote proxy's --authorized-clients file, and the --remote-id for the local proxy. Exit code 1: FILE exists or cannot be written; 2: wrong arguments.")
        {
            file,
            name,
        };
        command.SetAction(parse => RunCreate(parse.GetRequiredValue(file), parse.GetValue(name), output, error));
        return command;
    }

    private static Command CreateShow(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A key file made by 'progmp key create'." };
        var idOnly = new Option<bool>("--id") { Description = "Print the public id alone, for scripts: progmp proxy local ... --remote-id $(progmp key show remote.key --id)." };
        var command = new Command("show", "Print the public id of the identity in FILE and what the other side must be told. Exit code 1: FILE is missing, open to others, or holds no identity.")
        {
            file,
            idOnly,
        };
        command.SetAction(parse => RunShow(parse.GetRequiredValue(file), parse.GetValue(idOnly), output, error));
        return command;
    }

    private static int RunCreate(string path, string? name, TextWriter output, TextWriter error)
    {
        if (name is not null && !MultipathIdentity.IsValidName(name, out var problem))
        {
            error.WriteLine($"progmp: --name: {problem}");
            return ProgMpCommand.ExitUsage;
        }

        var identity = MultipathIdentity.Create(name);
        try
        {
            identity.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(File.Exists(path)
                ? $"progmp: '{path}' exists; a key file is never replaced (remove it first if you mean to)"
                : $"progmp: cannot write '{path}': {e.Message}");
            return ProgMpCommand.ExitProgramErrors;
        }

        output.WriteLine($"created {path}");
        Describe(identity, output);
        return ProgMpCommand.ExitOk;
    }

    private static int RunShow(string path, bool idOnly, TextWriter output, TextWriter error)
    {
        MultipathIdentity identity;
        try
        {
            identity = MultipathIdentity.Load(path);
        }
        catch (CredentialException e)
        {
            error.WriteLine("progmp: " + e.Message);
            return ProgMpCommand.ExitProgramErrors;
        }

        if (idOnly)
        {
            output.WriteLine(identity.PublicId);
        }
        else
        {
            Describe(identity, output);
        }

        return ProgMpCommand.ExitOk;
    }

    private static void Describe(MultipathIdentity identity, TextWriter output)
    {
        output.WriteLine($"public id: {identity.PublicId}");
        output.WriteLine($"name:      {identity.Name}");
        output.WriteLine("If this is a local proxy's key, add this line to the remote proxy's --authorized-clients file:");
        output.WriteLine($"  {identity.PublicId} {identity.Name}");
        output.WriteLine("If this is the remote proxy's key, give the local proxy:");
        output.WriteLine($"  --remote-id {identity.PublicId}");
    }
}
