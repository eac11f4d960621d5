#!/usr/bin/env node
import { cli } from '../dist/src/cli/entry.js';

await cli();
