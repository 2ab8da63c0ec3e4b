// Validates an OpenAPI document file with @seriousme/openapi-schema-validator (ESM only, so run as its own process).
// Prints {valid, version, errors} as JSON.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(process.argv[2], 'utf8')));
process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }));
