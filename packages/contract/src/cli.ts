#!/usr/bin/env node
/** Writes the OpenAPI document: `tierwise-openapi [file]` (stdout without a file). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openApiDocument } from './index';

const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
const file = process.argv[2];
if (file) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
} else process.stdout.write(text);
