/** Every CLI command, by name. */
import type { Command } from '../command.ts';
import { boot } from './boot.ts';
import { clauses } from './clauses.ts';
import { defaultSuite } from './defaultSuite.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  default: defaultSuite,
  clauses,
  boot,
};
