import type { Executor } from '../../store/db.ts';
import { invalid } from '../errors.ts';
import { prepareBuiltin, type BuiltinEffect } from './builtins.ts';
import { slashCommandFor, type SlashCommandRow } from './http-commands.ts';

/** A checklist item's command split the way Mattermost does: `/trigger rest of the text`. */
export interface ParsedCommand {
  /** The whole command, trimmed, as written on the item. */
  text: string;
  /** Lowercased, without the slash. */
  trigger: string;
  /** Everything after the trigger, trimmed. */
  args: string;
}

export function parseCommand(command: string): ParsedCommand {
  const text = command.trim();
  if (!text) throw invalid('command', 'the checklist item has no command to run');
  const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) throw invalid('command', `the command "${text}" must start with "/" followed by a trigger`);
  return { text, trigger: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() };
}

export type ResolvedCommand =
  | { kind: 'builtin'; effect: BuiltinEffect }
  | { kind: 'http'; command: SlashCommandRow };

/**
 * Finds what runs a command: a built-in (whose arguments are checked now, before anything is written), or an
 * admin-defined HTTP command of the run's team (or a global one). Unknown → 400 naming the command.
 */
export async function resolveCommand(ex: Executor, teamId: string, parsed: ParsedCommand): Promise<ResolvedCommand> {
  const effect = prepareBuiltin(parsed);
  if (effect) return { kind: 'builtin', effect };
  const command = await slashCommandFor(ex, teamId, parsed.trigger);
  if (command) return { kind: 'http', command };
  throw invalid('command', `unknown command "/${parsed.trigger}"`);
}
