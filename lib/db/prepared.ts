// Names for prepared statements. The name carries a hash of the text, so two builds that word a
// statement differently never share a name on one connection (or one pooler's server connection).
import { createHash } from 'node:crypto';
import type { PreparedStatement } from './types';

export function prepared(label: string, text: string): PreparedStatement {
  const hash = createHash('sha1').update(text).digest('hex').slice(0, 10);
  return { name: `cueframe_${label}_${hash}`, text };
}
