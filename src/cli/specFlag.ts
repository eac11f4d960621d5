/**
 * `--spec seed|head`: which vostd contract table a command evaluates (the seed era `1bd29df43`, the
 * default, or vostd HEAD `b5b972861`).
 */
import { z } from 'zod';
import { SPEC_VERSIONS, type SpecVersion } from '../../spec/head/registry.ts';
import { flag, type Flag } from './command.ts';

/** The zod schema of a spec version, with a one-line message naming the accepted values. */
export const specVersionSchema = z.enum(['seed', 'head'], {
  error: (i) => `unknown spec version ${JSON.stringify(i.input)} (expected ${SPEC_VERSIONS.join(' or ')})`,
});

/** The `--spec` flag of a command. */
export const SPEC_FLAG: Flag = flag(
  'string',
  'seed|head',
  "the vostd contracts to check: the seed era's (1bd29df43, default) or vostd HEAD's (b5b972861)",
);

export type { SpecVersion };
