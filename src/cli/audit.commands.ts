import os from 'node:os';
import type { Config } from '../config.ts';
import { parseCommand, UsageError } from './args.ts';
import type { CliContext } from './context.ts';

type Prepared = (loadConfig: () => Config) => Promise<number>;

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown'); // no passwd entry (containers)
  }
}

/** The audit row of a CLI command that changes something: the OS user acts as the system. */
export async function recordCliCall(cli: CliContext, command: string, targets: Record<string, string>, exitCode: number): Promise<void> {
  await cli.audit.append({
    at: cli.ctx.clock.now(),
    actor: `cli:${osUser()}`,
    action: `cli ${command}`,
    targets,
    status: exitCode,
    request_id: `pid-${process.pid}`,
  });
}

/** Opens the database (migrating it, as every command does), runs `fn`, closes it. */
async function withAudit(config: Config, fn: (cli: CliContext) => Promise<number>): Promise<number> {
  const { openCliContext } = await import('./context.ts');
  const cli = await openCliContext(config);
  try {
    return await fn(cli);
  } finally {
    await cli.database.close();
  }
}

async function verify(cli: CliContext, json: boolean): Promise<number> {
  const { verifyAuditLog } = await import('../domain/audit/verify.ts');
  const report = await verifyAuditLog(cli.database.db, cli.audit.key);
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (report.problem) process.stdout.write(`audit log broken at seq ${report.problem.seq}: ${report.problem.problem}\n`);
  else {
    const foreign = report.foreignCheckpoints ? ` (${report.foreignCheckpoints} signed by another key: hashes checked only)` : '';
    process.stdout.write(`audit log intact: ${report.rows} rows up to seq ${report.lastSeq}, ${report.checkpoints} checkpoints verified${foreign}\n`);
  }
  return report.ok ? 0 : 1;
}

/** JSON lines, one row each, with the exact hashed `entry` text (so anyone can recompute the chain). */
async function exportRows(cli: CliContext, fromSeq: number): Promise<number> {
  const { auditRepo } = await import('../store/audit.repo.ts');
  for (let after = fromSeq - 1; ; ) {
    const page = await auditRepo.page(cli.database.db, after, 2000);
    const lines = page.map((r) => JSON.stringify({ seq: r.seq, at: r.at, prev_hash: r.prev_hash, hash: r.hash, entry: r.entry }));
    if (lines.length > 0 && !process.stdout.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    if (page.length < 2000) return 0;
    after = page[page.length - 1]!.seq;
  }
}

async function checkpoint(cli: CliContext, json: boolean): Promise<number> {
  const written = await cli.audit.checkpointIfBehind();
  if (json) process.stdout.write(`${JSON.stringify(written ?? null)}\n`);
  else process.stdout.write(written ? `signed checkpoint at seq ${written.seq} (key ${written.key_id})\n` : 'every row is already covered by a checkpoint\n');
  return 0;
}

/** `muster audit verify | export [--from SEQ] | checkpoint`. */
export function prepareAuditCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parseCommand('audit verify', rest, {});
    return (loadConfig) => withAudit(loadConfig(), (cli) => verify(cli, values.json ?? false));
  }
  if (sub === 'export') {
    const { values } = parseCommand('audit export', rest, { from: { type: 'string' } });
    const from = values.from === undefined ? 1 : Number(values.from);
    if (!Number.isSafeInteger(from) || from < 1) throw new UsageError('audit export: --from must be a positive integer (a seq)');
    return (loadConfig) => withAudit(loadConfig(), (cli) => exportRows(cli, from));
  }
  if (sub === 'checkpoint') {
    const { values } = parseCommand('audit checkpoint', rest, {});
    return (loadConfig) => withAudit(loadConfig(), (cli) => checkpoint(cli, values.json ?? false));
  }
  throw new UsageError(sub ? `audit: unknown subcommand "${sub}"` : 'audit: missing subcommand (verify, export, checkpoint)');
}
