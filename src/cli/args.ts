import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was typed: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs in strict mode, with `--json` accepted by every command and parse failures turned into
 * UsageErrors. `positionals` is how many bare arguments the command takes.
 */
export function parseCommand<const O extends Options>(command: string, args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' } } as O & { json: { type: 'boolean' } },
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"`);
    }
    return parsed;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** The value of a required string flag, or a UsageError naming it. */
export function required(command: string, values: Record<string, unknown>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`${command}: missing required flag --${flag.replace(/_/g, '-')}`);
  }
  return value;
}

/** The one positional argument a command needs, or a UsageError naming it. */
export function requiredPositional(command: string, positionals: string[], name: string): string {
  const value = positionals[0];
  if (!value) throw new UsageError(`${command}: missing argument <${name}>`);
  return value;
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
