import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One chunk ready to store. */
export interface EncodedChunk {
  chunkNo: number;
  rowStart: number;
  rowCount: number;
  data: Buffer;
}

/** Where an import puts its chunks. */
export interface ChunkSink {
  write(chunk: EncodedChunk): Promise<void>;
}

const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

/**
 * Chunks streamed into `dataset_chunk` with one binary `COPY … FROM STDIN` (no per-row INSERTs,
 * no hex encoding), on the caller's connection and so inside its transaction. `abort()` sends
 * CopyFail, after which the caller rolls back.
 */
export class CopyChunkSink implements ChunkSink {
  private readonly stream: ReturnType<typeof copyFrom>;
  private failure: Error | null = null;
  private readonly id: Buffer;

  private constructor(client: PoolClient, datasetId: string) {
    this.id = uuidBytes(datasetId);
    this.stream = client.query(copyFrom('COPY dataset_chunk (dataset_id, chunk_no, row_start, row_count, data) FROM STDIN (FORMAT binary)'));
    this.stream.on('error', (e: Error) => (this.failure ??= e));
    const header = Buffer.alloc(SIGNATURE.length + 8);
    SIGNATURE.copy(header, 0);
    this.stream.write(header);
  }

  static open(client: PoolClient, datasetId: string): CopyChunkSink {
    return new CopyChunkSink(client, datasetId);
  }

  async write(chunk: EncodedChunk): Promise<void> {
    if (this.failure) throw this.failure;
    const head = Buffer.alloc(2 + (4 + 16) + 3 * (4 + 4) + 4);
    let at = head.writeInt16BE(5, 0);
    at = head.writeInt32BE(16, at);
    at += this.id.copy(head, at);
    for (const n of [chunk.chunkNo, chunk.rowStart, chunk.rowCount]) {
      at = head.writeInt32BE(4, at);
      at = head.writeInt32BE(n, at);
    }
    head.writeInt32BE(chunk.data.length, at);
    this.stream.write(head);
    if (!this.stream.write(chunk.data)) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    const trailer = Buffer.alloc(2);
    trailer.writeInt16BE(-1, 0);
    const done = Promise.race([once(this.stream, 'finish'), once(this.stream, 'error').then(([e]) => Promise.reject(e as Error))]);
    this.stream.end(trailer);
    await done;
  }

  /** Stop the COPY (the server rolls it back); safe to call after a failure. */
  async abort(): Promise<void> {
    if (this.stream.destroyed || this.stream.writableFinished) return;
    const closed = once(this.stream, 'close').catch(() => undefined);
    this.stream.destroy(new Error('import aborted'));
    await closed;
  }
}
