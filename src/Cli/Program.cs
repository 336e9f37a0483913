using ProgMp.Cli;

return await ProgMpCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
