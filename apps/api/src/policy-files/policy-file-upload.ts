import type { FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { assertJsonDepth } from '../common/json-depth';
import { readUpload } from '../common/upload';
import { findNul } from '../common/validation';
import { PolicyFileException, PolicyFileExceptionCode } from './policy-file.exception';

/** The largest policy file accepted (the JSON body limit is the same). */
export const MAX_POLICY_FILE_BYTES = 10 * 1024 * 1024;

const unreadable = (message: string) => new PolicyFileException(PolicyFileExceptionCode.Unreadable, message, [{ path: 'file', message }]);

/** A JSON value read from an upload or body: no forbidden keys, no NUL characters, not nested too deep. */
export function checkJsonValue(value: unknown): unknown {
  const nul = findNul(value);
  if (nul !== undefined) {
    throw new PolicyFileException(PolicyFileExceptionCode.Invalid, 'Text may not contain the NUL character', [
      { path: nul, message: 'contains a NUL (\\u0000) character' },
    ]);
  }
  assertJsonDepth(value, 'The policy file');
  return value;
}

/** The JSON document in the multipart field `file` (read through @fastify/multipart; at most 10 MB, needed whole to parse). */
export async function readPolicyFileUpload(req: FastifyRequest): Promise<unknown> {
  const tooLarge = () =>
    new PolicyFileException(PolicyFileExceptionCode.TooLarge, `A policy file is at most ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MB`, [
      { path: 'file', message: 'too large' },
    ]);
  const bytes = await readUpload(
    req,
    { fileSize: MAX_POLICY_FILE_BYTES, fields: 10, parts: 20 },
    { malformed: unreadable, tooLarge, missing: () => unreadable('Send the policy file in a multipart field named "file"') },
    async ({ part, truncated }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file as AsyncIterable<Buffer>) chunks.push(chunk);
      if (truncated()) throw tooLarge();
      return Buffer.concat(chunks);
    },
  );
  let value: unknown;
  try {
    value = sjson.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''), undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    throw unreadable(`The file is not JSON: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
  }
  return checkJsonValue(value);
}
