/** Every CLI command, by name. */
import type { Command } from '../command.ts';
import { audit } from './audit.ts';
import { boot } from './boot.ts';
import { check } from './check.ts';
import { clauses } from './clauses.ts';
import { conform } from './conform.ts';
import { mutants } from './mutants.ts';
import { prove } from './prove.ts';
import { replay } from './replay.ts';
import { simulate } from './simulate.ts';
import { validate } from './validate.ts';
import { defaultSuite } from './defaultSuite.ts';
import { litmus } from './litmus.ts';
import { orderings } from './orderings.ts';
import { axioms } from './axioms.ts';
import { merge } from './merge.ts';
import { diff } from './diff.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  default: defaultSuite,
  clauses,
  check,
  replay,
  simulate,
  mutants,
  prove,
  boot,
  audit,
  validate,
  conform,
  litmus,
  orderings,
  merge,
  axioms,
  diff,
};
