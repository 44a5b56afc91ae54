import type { Executor } from '../../store/db.ts';
import { invalid } from '../errors.ts';

/** Resolves a severity given by label or id; archived or unknown ones are refused. */
export async function resolveSeverity(tx: Executor, value: string, field = 'severity'): Promise<string> {
  const row = await tx
    .selectFrom('severities')
    .select(['label', 'archived'])
    .where((eb) => eb.or([eb('label', '=', value), eb('id', '=', value)]))
    .forShare()
    .executeTakeFirst();
  if (!row || row.archived) {
    const known = await tx.selectFrom('severities').select('label').where('archived', '=', false).orderBy('level').execute();
    throw invalid(field, `unknown ${field} "${value}": must be one of ${known.map((k) => k.label).join(', ')}`);
  }
  return row.label;
}

