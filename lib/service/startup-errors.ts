// Start-up failures that the person starting the service can fix. Their messages say what happened
// and what to do, and the entry points print them alone: a stack trace would bury the advice.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EnvironmentError } from './env.ts';

/** A start-up failure whose message says what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * For entry points (`npm start`, a service run on its own, the db:* commands): the message of a
 * failure someone can fix, alone, on stderr; anything else, a bug, with its stack. Exit status 1.
 */
export function exitOnStartupError(error: unknown): never {
  const explained = error instanceof StartupError || error instanceof EnvironmentError;
  console.error(explained ? error.message : error);
  process.exit(1);
}

/**
 * A command's options (node:util parseArgs). `--help` (which the config declares) prints `help`
 * and ends it with status 0; an unknown or malformed option ends it with status 2 and a pointer to --help.
 */
export function optionsOrExit<Config extends ParseArgsConfig>(config: Config, command: string, help: string): ReturnType<typeof parseArgs<Config>> {
  let parsed: ReturnType<typeof parseArgs<Config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${message.replace(/\.$/, '')}. See \`${command} -- --help\`.`);
    process.exit(2);
  }
  if ((parsed.values as { help?: unknown }).help === true) {
    console.log(help);
    process.exit(0);
  }
  return parsed;
}
