import type { IncomingMessage } from 'node:http';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

/** The multipart field every upload sends its file in. */
export const FILE_FIELD = 'file';

/** Limits of one upload (applied by @fastify/multipart). */
export interface UploadLimits {
  fileSize: number;
  fields: number;
  fieldSize?: number;
  parts: number;
}

/** The errors a capability answers for an upload it cannot take, in its own codes. */
export interface UploadErrors {
  /** A malformed body, several files, too many fields or parts. */
  malformed(message: string): Error;
  /** The file is over `limits.fileSize`. */
  tooLarge(): Error;
  /** No part named `file`. */
  missing(): Error;
}

/**
 * What `onFile` gets: the file part (a stream, to be read to its end), the fields sent before it
 * (with the defaults the caller passed), and all fields once the whole body is read — fields sent
 * after the file (the console sends `name` last) are known only then.
 */
export interface UploadedFile {
  part: MultipartFile;
  fieldsBefore: Readonly<Record<string, string>>;
  allFields: Promise<Record<string, string>>;
  /** The file was cut at `limits.fileSize` (check after reading it). */
  truncated(): boolean;
}

/** Read and discard the rest of a request, so that the error response reaches a client still sending. */
export function drainRequest(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.resume();
  });
}

function pluginErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * A multipart/form-data upload streamed through @fastify/multipart: fields are collected, the part
 * named `file` is handed to `onFile` while the body is still arriving (never buffered here), other
 * files are skipped. Whatever goes wrong answers with the caller's errors, and the rest of the body
 * is drained first so that the client sees the answer.
 */
export async function readUpload<T>(
  req: FastifyRequest,
  limits: UploadLimits,
  errors: UploadErrors,
  onFile: (file: UploadedFile) => Promise<T>,
  defaults: Record<string, string> = {},
): Promise<T> {
  const fields: Record<string, string> = { ...defaults };
  let settle!: { resolve: (f: Record<string, string>) => void; reject: (e: unknown) => void };
  const allFields = new Promise<Record<string, string>>((resolve, reject) => (settle = { resolve, reject }));
  allFields.catch(() => undefined); // read by onFile only if it gets that far
  let job: Promise<T> | undefined;
  try {
    for await (const part of req.parts({ limits: { ...limits, files: 1 } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== FILE_FIELD) {
        part.file.resume();
        continue;
      }
      const file = part.file;
      job = onFile({ part, fieldsBefore: { ...fields }, allFields, truncated: () => file.truncated });
      // Whatever happens to the file's consumer, keep reading so the request completes and the error can be answered.
      job.catch(() => file.resume());
    }
  } catch (e) {
    settle.reject(e);
    await drainRequest(req.raw);
    if (job) await job.catch(() => undefined);
    switch (pluginErrorCode(e)) {
      case 'FST_REQ_FILE_TOO_LARGE':
        throw errors.tooLarge();
      case 'FST_FILES_LIMIT':
        throw errors.malformed('Send one file, in the multipart field named "file"');
      case 'FST_FIELDS_LIMIT':
      case 'FST_PARTS_LIMIT':
        throw errors.malformed(`The multipart body has too many parts (at most ${limits.fields} fields and one file)`);
      default:
        throw errors.malformed(`The multipart body is malformed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  settle.resolve(fields);
  if (!job) throw errors.missing();
  return job;
}
