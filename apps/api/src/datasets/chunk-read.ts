import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One stored dataset chunk's bytes through `COPY … TO STDOUT (FORMAT binary)`: raw bytes, where a
 * plain SELECT would have PostgreSQL hex-encode the bytea and the driver decode it (measured 2–3×
 * slower). Used by every job that reads a dataset chunk by chunk.
 */
export async function readChunk(db: Pool, datasetId: string, chunkNo: number): Promise<{ rowStart: number; data: Buffer }> {
  if (!UUID.test(datasetId) || !Number.isSafeInteger(chunkNo)) throw new Error('bad chunk reference');
  const client = await db.connect();
  let bytes: Buffer;
  try {
    const stream = client.query(
      copyTo(`COPY (SELECT row_start, data FROM dataset_chunk WHERE dataset_id = '${datasetId}' AND chunk_no = ${chunkNo}) TO STDOUT (FORMAT binary)`),
    );
    const pieces: Buffer[] = [];
    for await (const piece of stream as AsyncIterable<Buffer>) pieces.push(piece);
    bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
  } finally {
    client.release();
  }
  // Binary COPY: 19-byte header, then per tuple int16 field count and (int32 length, bytes) per field.
  const at = 19;
  if (bytes.length < at + 2 || bytes.readInt16BE(at) !== 2) throw new Error(`dataset ${datasetId} has no chunk ${chunkNo}`);
  const rowStart = bytes.readInt32BE(at + 2 + 4);
  const length = bytes.readInt32BE(at + 2 + 8);
  return { rowStart, data: bytes.subarray(at + 2 + 12, at + 2 + 12 + length) };
}
