import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Command, CommanderError } from 'commander';
import { InjectCommander } from 'nest-commander';

/** Commander's usage errors (unknown option, missing value) exit 2, like our own; help and --version exit 0. */
export function exitForUsageError(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}

/**
 * nest-commander applies its errorHandler to the root command after creating the subcommands,
 * and commander copies the handler only into subcommands created later, so `dropflow run-task
 * --bogus` would exit 1. This applies it to every subcommand once they exist.
 */
@Injectable()
export class UsageExitCodes implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly commander: Command) {}

  onApplicationBootstrap() {
    const all = (commands: readonly Command[]): Command[] => commands.flatMap((command) => [command, ...all(command.commands)]);
    for (const command of all(this.commander.commands)) command.exitOverride(exitForUsageError);
  }
}
