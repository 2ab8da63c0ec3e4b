import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import sjson from 'secure-json-parse';
import { assertJsonDepth } from '../common/json-depth';
import { findNul } from '../common/validation';
import { PolicyFileException, PolicyFileExceptionCode } from './policy-file.exception';

/** The largest policy file accepted (the JSON body limit is the same). */
export const MAX_POLICY_FILE_BYTES = 10 * 1024 * 1024;

function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.resume();
  });
}

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

/** The JSON document in the multipart field `file`. */
export async function readPolicyFileUpload(req: IncomingMessage): Promise<unknown> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fileSize: MAX_POLICY_FILE_BYTES, files: 1, fields: 10, parts: 20 } });
  } catch (e) {
    await drain(req);
    throw unreadable(`The multipart body cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const chunks: Buffer[] = [];
  let seen = false;
  let tooLarge = false;
  const finished = new Promise<void>((resolve, reject) => {
    bb.on('file', (field, stream) => {
      if (field !== 'file' || seen) {
        stream.resume();
        return;
      }
      seen = true;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (tooLarge = true));
    });
    bb.on('close', resolve);
    bb.on('error', (e: Error) => reject(unreadable(`The multipart body is malformed: ${e.message}`)));
  });
  req.pipe(bb);
  try {
    await finished;
  } catch (e) {
    req.unpipe(bb);
    await drain(req);
    throw e;
  }
  if (!seen) throw unreadable('Send the policy file in a multipart field named "file"');
  if (tooLarge) {
    throw new PolicyFileException(PolicyFileExceptionCode.TooLarge, `A policy file is at most ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MB`, [
      { path: 'file', message: 'too large' },
    ]);
  }
  let value: unknown;
  try {
    value = sjson.parse(
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
      undefined,
      { protoAction: 'error', constructorAction: 'error' },
    );
  } catch (e) {
    throw unreadable(`The file is not JSON: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
  }
  return checkJsonValue(value);
}
