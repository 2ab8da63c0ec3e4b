import { TextDecoder } from 'node:util';
import * as iconv from 'iconv-lite';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';

/**
 * Uploaded text: UTF-8 (with or without a byte-order mark) or GB18030/GBK (what Chinese Excel
 * saves as "CSV"), chosen by the `encoding` parameter or detected. Detection: a BOM decides
 * (UTF-8, UTF-16LE/BE); otherwise the first 64 KiB are tried as strict UTF-8, and if they are not
 * valid UTF-8 the file is read as GB18030 (a superset of GBK and GB2312). Decoding is strict: a byte
 * sequence that is not valid in the chosen encoding is a 400 naming the byte offset, never a silent
 * replacement character in the data.
 */
export type TextEncoding = 'utf-8' | 'gb18030' | 'gbk' | 'utf-16le' | 'utf-16be';

const ALIASES: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8',
  gbk: 'gbk',
  cp936: 'gbk',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

export const ENCODING_NAMES = [...Object.keys(ALIASES), 'auto'];

/** `undefined` or "auto" → detect; otherwise the canonical name, or a 422 for an unknown one. */
export function parseEncoding(value: string | undefined): TextEncoding | 'auto' {
  if (value === undefined || value === '' || value.toLowerCase() === 'auto') return 'auto';
  const e = ALIASES[value.toLowerCase()];
  if (!e) {
    throw new DatasetException(DatasetExceptionCode.BadParameter, `Unknown encoding ${value.slice(0, 40)}`, [
      { path: 'encoding', message: `must be one of ${ENCODING_NAMES.join(', ')}` },
    ]);
  }
  return e;
}

const SAMPLE = 64 * 1024;

/** True when `bytes` is valid UTF-8, allowing a sequence cut off at the end (`complete` = false). */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  let cut = bytes.length;
  if (!complete) {
    // Step back over a trailing, possibly incomplete multi-byte sequence (at most 3 bytes).
    let k = bytes.length - 1;
    let back = 0;
    while (k >= 0 && back < 3 && (bytes[k] & 0xc0) === 0x80) {
      k--;
      back++;
    }
    if (k >= 0 && bytes[k] >= 0xc0) cut = k;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, cut));
    return true;
  } catch {
    return false;
  }
}

export function detectEncoding(sample: Uint8Array, complete: boolean): TextEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  return isUtf8(sample, complete) ? 'utf-8' : 'gb18030';
}

interface Decoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

/** `keepBOM`: a byte-order mark at the start is text (a part of a file cut after a line feed, not its start). */
function nativeDecoder(encoding: TextEncoding, keepBOM = false): Decoder | null {
  let d: TextDecoder;
  try {
    d = new TextDecoder(encoding, { fatal: true, ignoreBOM: keepBOM });
  } catch {
    return null; // a Node build without full ICU: fall back to iconv-lite
  }
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

function iconvDecoder(encoding: TextEncoding, keepBOM = false): Decoder {
  const d = iconv.getDecoder(encoding, keepBOM ? { stripBOM: false } : undefined);
  return { write: (b) => d.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), end: () => d.end() ?? '' };
}

export function badEncoding(offset: number) {
  return new DatasetException(
    DatasetExceptionCode.BadEncoding,
    `The file is not valid text in the chosen encoding (near byte ${offset}); pass encoding=utf-8 or encoding=gb18030`,
    [{ path: 'encoding', message: 'the bytes do not decode' }],
  );
}

export function truncatedText() {
  return new DatasetException(DatasetExceptionCode.BadEncoding, 'The file ends in the middle of a character; it is not valid text in the chosen encoding', [
    { path: 'encoding', message: 'truncated character' },
  ]);
}

/**
 * Encodings in which a line feed byte (0x0A) and a quote byte (0x22) are always those characters,
 * never part of another (UTF-8: bytes below 0x80; GBK/GB18030: trail bytes are 0x30–0x39 or ≥ 0x40):
 * a file in one of them can be cut after a line feed found in its bytes, and its parts decoded apart
 * (UTF-16 cannot).
 */
export function cutsAtLineFeeds(encoding: TextEncoding): boolean {
  return encoding === 'utf-8' || encoding === 'gb18030' || encoding === 'gbk';
}

/** The decoder of a part of a file cut after a line feed (cutsAtLineFeeds): strict, a BOM at its start kept as text. */
export function partDecoder(encoding: TextEncoding): Decoder {
  return nativeDecoder(encoding, true) ?? iconvDecoder(encoding, true);
}

/**
 * A byte stream decoded to text, piece by piece. The encoding (detected or given) is told to
 * `onEncoding` before the first text; while it is being detected (the first 64 KiB), `write`
 * answers ''. A leading BOM is dropped.
 */
export class StreamDecoder {
  private decoder: Decoder | null = null;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private first = true;
  /** The encoding in use, once known. */
  encoding: TextEncoding | null = null;

  constructor(
    private readonly requested: TextEncoding | 'auto',
    private readonly onEncoding: (e: TextEncoding) => void,
  ) {}

  private start(complete: boolean): Uint8Array {
    const pending = this.pending;
    const sample = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    this.pending = [];
    const requested = this.requested;
    const encoding = requested === 'auto' ? detectEncoding(sample.subarray(0, SAMPLE), complete && sample.length <= SAMPLE) : requested;
    this.encoding = encoding;
    this.onEncoding(encoding);
    this.decoder = nativeDecoder(encoding) ?? iconvDecoder(encoding);
    return sample;
  }

  private decode(bytes: Uint8Array): string {
    let text: string;
    try {
      text = (this.decoder as Decoder).write(bytes);
    } catch {
      throw badEncoding(this.offset);
    }
    this.offset += bytes.length;
    if (this.first && text.length) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  write(chunk: Uint8Array): string {
    if (this.decoder) return this.decode(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < SAMPLE && this.requested === 'auto') return '';
    return this.decode(this.start(false));
  }

  /** The end of the stream: what is left (a short file's text, if its encoding was still being detected). */
  end(): string {
    let text = '';
    if (!this.decoder) {
      if (this.pendingBytes === 0) return '';
      text = this.decode(this.start(true));
    }
    let tail: string;
    try {
      tail = (this.decoder as unknown as Decoder).end();
    } catch {
      throw truncatedText();
    }
    if (this.first && tail.charCodeAt(0) === 0xfeff) tail = tail.slice(1);
    return text + tail;
  }
}
