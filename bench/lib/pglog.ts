import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Cluster } from '../../test/helpers/postgres.ts';

async function admin(cluster: Cluster, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface LoggedStatement {
  sql: string;
  /** Parameter values as the log prints them: SQL literals ('text', NULL), in $1, $2… order. */
  params: string[];
}

/** Parses "$1 = 'a', $2 = NULL" (literals may contain ", $" inside quotes, so scan quote-aware). */
function parseParams(text: string): string[] {
  const params: string[] = [];
  let i = 0;
  while (i < text.length) {
    const head = /^\s*,?\s*\$(\d+) = /.exec(text.slice(i));
    if (!head) break;
    i += head[0].length;
    let value = '';
    if (text[i] === "'") {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "'" && text[j + 1] === "'") j++;
        else if (text[j] === "'") break;
      }
      value = text.slice(i, j + 1);
      i = j + 1;
    } else {
      const end = text.indexOf(',', i);
      value = text.slice(i, end === -1 ? text.length : end).trim();
      i = end === -1 ? text.length : end;
    }
    params[Number(head[1]) - 1] = value;
  }
  return params;
}

/** The statement with its logged parameters written in as literals (highest $n first, so $1 does not eat $10). */
export function inlineParams(statement: LoggedStatement): string {
  let text = statement.sql;
  for (let n = statement.params.length; n >= 1; n--) text = text.split(`$${n}`).join(statement.params[n - 1] ?? 'NULL');
  return text;
}

function parseLog(text: string, dbName: string): LoggedStatement[] {
  const statements: LoggedStatement[] = [];
  const prefix = /^\S+ \S+ \S+ \[\d+\] db=(\S*) (LOG|DETAIL|ERROR|STATEMENT|HINT|WARNING): {2}(.*)$/;
  let current: LoggedStatement | undefined;
  for (const line of text.split('\n')) {
    const match = prefix.exec(line);
    if (!match) {
      // A continuation line of a multi-line statement.
      if (current && line.length > 0) current.sql += `\n${line}`;
      continue;
    }
    const [, db, level, rest] = match;
    if (db !== dbName) {
      current = undefined;
      continue;
    }
    const statement = /^(?:statement|execute [^:]+): ([\s\S]*)$/.exec(rest!);
    if (level === 'LOG' && statement) {
      current = { sql: statement[1]!, params: [] };
      statements.push(current);
    } else if (level === 'DETAIL' && current && rest!.startsWith('parameters: ')) {
      current.params = parseParams(rest!.slice('parameters: '.length));
    } else {
      current = undefined;
    }
  }
  return statements;
}

function readFrom(file: string, from: number): { text: string; end: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const end = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(end - from);
    fs.readSync(fd, buffer, 0, buffer.length, from);
    return { text: buffer.toString('utf8'), end };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The SQL statements (round trips) each of `sends` makes the server run against this database, one list per
 * send: turns on log_statement=all for the cluster, runs the sends one after another, cuts the log between
 * them, turns logging off. A backend writes its log line before it answers, so the cut after each awaited
 * send is exact; the timer poller may add about one statement per second.
 */
export async function captureEach(cluster: Cluster, databaseUrl: string, sends: Array<() => Promise<void>>): Promise<LoggedStatement[][]> {
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const logFile = path.join(cluster.dir, 'log');
  await admin(cluster, [
    "ALTER SYSTEM SET log_statement = 'all'",
    "ALTER SYSTEM SET log_line_prefix = '%m [%p] db=%d '",
    'SELECT pg_reload_conf()',
  ]);
  const out: LoggedStatement[][] = [];
  try {
    // Backends pick the new settings up at their next command after the reload signal arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let offset = fs.statSync(logFile).size;
    for (const send of sends) {
      await send();
      const { text, end } = readFrom(logFile, offset);
      offset = end;
      out.push(parseLog(text, dbName));
    }
  } finally {
    await admin(cluster, ['ALTER SYSTEM RESET log_statement', 'ALTER SYSTEM RESET log_line_prefix', 'SELECT pg_reload_conf()']);
  }
  return out;
}

/** How many SQL statements (BEGIN/COMMIT included) one request costs, averaged over `n` sequential requests. */
export async function statementsPerRequest(cluster: Cluster, databaseUrl: string, n: number, send: () => Promise<void>): Promise<number> {
  const [statements] = await captureEach(cluster, databaseUrl, [
    async () => {
      for (let i = 0; i < n; i++) await send();
    },
  ]);
  return statements!.length / n;
}
