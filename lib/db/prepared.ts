// Names for prepared statements. The name carries a hash of the text, so two builds that word a
// statement differently never share a name on one connection (or one pooler's server connection).
import { createHash } from 'node:crypto';
import type { PreparedStatement, Statement } from './types';

export function prepared(label: string, text: string): PreparedStatement {
  const hash = createHash('sha1').update(text).digest('hex').slice(0, 10);
  return { name: `cueframe_${label}_${hash}`, text };
}

/** The SQL of a statement, for a caller that runs it unnamed. */
export function statementText(statement: Statement): string {
  return typeof statement === 'string' ? statement : statement.text;
}
