import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import type { FactDefinition } from '@tierwise/policy-engine';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { datasets } from '@tierwise/contract';
import { z } from 'zod';
import { getTemplate } from '../templates/template-library';
import { AuditService } from '../audit/audit.service';
import type { FactMasker } from '../catalog/fact-masking';
import { filterString, ListQuery } from '../common/list-query';
import { assertJsonDepth } from '../common/json-depth';
import { drainRequest, readUpload, UploadedFile } from '../common/upload';
import { calendarDay, findNul, uuidParam, zodDetails } from '../common/validation';
import { APP_CONFIG, AppConfig, SIMULATION_SETTINGS, SimulationSettings } from '../config/config';
import { ChunkExecutor, threadTasksOf } from '../jobs/executors';
import { CHUNK_EXECUTOR } from '../jobs/jobs.module';
import { loadCatalog } from '../policies/catalog-snapshot';
import { PolicyRow, PolicyVersionRow } from '../policies/policy.entities';
import { decodeChunk, valueAt } from './chunk-codec';
import { ChunkSink, CopyChunkSink } from './chunk-copy';
import type { DatasetColumn } from './column-mapping';
import { CSV_PART_MODULE, importCsv } from './csv-import';
import { CsvSyntaxError } from './csv-tokenizer';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';
import { DatasetRow, DatasetSource } from './dataset.entity';
import { BadRow, ImportOptions, ImportSession, nulRefused } from './dataset-import';
import { DIMENSIONS, generateSynthetic, inputFacts, syntheticPlan, type SyntheticSource } from './synthetic';
import { parseEncoding, TextEncoding } from './text-decoding';
import { Metrics } from '../metrics/metrics.service';

/** Import parameters (query string or multipart fields), the JSON upload and the synthetic request: the contract's schemas. */
export const importParams = datasets.importParams;
export type ImportParams = z.infer<typeof importParams>;
export const jsonDatasetBody = datasets.jsonDatasetBody;
export const syntheticBody = datasets.syntheticBody;

interface Stored {
  rowCount: number;
  chunkCount: number;
  columns: DatasetColumn[];
  idColumn: string | null;
  details: Record<string, unknown>;
  name?: string;
  asOf?: string;
  policy?: string;
}

export function datasetView(d: DatasetRow) {
  return {
    id: d.id,
    name: d.name,
    rowCount: d.rowCount,
    /** The facts the dataset holds (what groupBy and the policy's facts are checked against). */
    columns: d.columns.map((c) => c.fact),
    fields: d.columns,
    idColumn: d.idColumn,
    asOf: d.asOf,
    policyId: d.policyId,
    source: d.source,
    skippedRows: Number(d.details.skippedRows ?? 0),
    details: d.details,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
  };
}

function uuidFilter(key: string, v: string): string {
  if (!uuidParam.safeParse(v).success)
    throw new DatasetException(DatasetExceptionCode.BadParameter, `${key} must be a UUID`, [{ path: key, message: 'must be a UUID' }]);
  return v;
}

function badParams(error: z.ZodError, message = 'An import parameter is not valid'): never {
  throw new DatasetException(DatasetExceptionCode.BadParameter, message, zodDetails(error));
}

@Injectable()
export class DatasetsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SIMULATION_SETTINGS) private readonly settings: SimulationSettings,
    /** Its job threads (when it has them) read the parts of a large CSV file at once. */
    @Inject(CHUNK_EXECUTOR) private readonly executor: ChunkExecutor,
    private readonly metrics: Metrics,
  ) {
    // before the threads start (the job runner starts them once the app is up)
    threadTasksOf(executor)?.warmTask(CSV_PART_MODULE);
  }

  // ---- reading ----------------------------------------------------------------------------------

  async list(q: ListQuery) {
    const qb = this.ds.getRepository(DatasetRow).createQueryBuilder('d');
    const search = q.filter.q;
    if (typeof search === 'string' && search) qb.andWhere('d.name ILIKE :q', { q: `%${search}%` });
    // Facts snapshots per policy and period: ?policy=key (or policyId), asOf, asOfFrom, asOfTo (days, inclusive).
    const policy = filterString(q.filter, 'policy');
    if (policy !== undefined) qb.andWhere('d.policyId = (SELECT p.id FROM policy p WHERE p.key = :policy)', { policy });
    const policyId = filterString(q.filter, 'policyId');
    if (policyId !== undefined) qb.andWhere('d.policyId = :policyId', { policyId: uuidFilter('policyId', policyId) });
    for (const [key, op] of [
      ['asOf', '='],
      ['asOfFrom', '>='],
      ['asOfTo', '<='],
    ] as const) {
      const day = filterString(q.filter, key);
      if (day === undefined) continue;
      const parsed = calendarDay.safeParse(day);
      if (!parsed.success)
        throw new DatasetException(DatasetExceptionCode.BadParameter, `${key} must be a day like 2026-01-31`, [{ path: key, message: 'must be YYYY-MM-DD' }]);
      qb.andWhere(`d.asOf ${op} :${key}`, { [key]: parsed.data });
    }
    const [rows, total] = await qb.orderBy(`d.${q.sortField}`, q.sortOrder).skip(q.skip).take(q.take).getManyAndCount();
    return { rows: rows.map(datasetView), total };
  }

  async row(id: string): Promise<DatasetRow> {
    const d = await this.ds.getRepository(DatasetRow).findOneBy({ id });
    if (!d) throw new DatasetException(DatasetExceptionCode.DatasetNotFound, `No dataset with id ${id}`);
    return d;
  }

  /** The dataset with its first rows, decoded from the first chunk. */
  async get(id: string, masker?: FactMasker) {
    const d = await this.row(id);
    const first: { data: Buffer }[] = await this.ds.query('SELECT data FROM dataset_chunk WHERE dataset_id = $1 AND chunk_no = 0', [id]);
    const preview: Record<string, unknown>[] = [];
    if (first.length) {
      const chunk = decodeChunk(first[0].data);
      for (let i = 0; i < Math.min(10, chunk.rows); i++) {
        const row: Record<string, unknown> = { row: i + 1, customerId: chunk.idAt(i) };
        for (const c of d.columns) {
          const col = chunk.columns.get(c.fact);
          row[c.fact] = col ? (valueAt(col, i) ?? null) : null;
        }
        preview.push(masker ? masker.facts(row, ['row', 'customerId']).values : row);
      }
    }
    return { ...datasetView(d), preview };
  }

  /**
   * Delete a dataset and its rows, audited. Refused (409) while a simulation is queued or running on
   * it. Finished simulations over it keep their aggregate result, but lose what was per customer:
   * their samples (customer facts) and per-customer outcomes (so results.csv answers 409).
   */
  async delete(actor: string, id: string) {
    return this.ds.transaction(async (m) => {
      const [locked]: { id: string }[] = await m.query('SELECT id FROM dataset WHERE id = $1 FOR UPDATE', [id]);
      if (!locked) throw new DatasetException(DatasetExceptionCode.DatasetNotFound, `No dataset with id ${id}`);
      const d = (await m.getRepository(DatasetRow).findOneBy({ id })) as DatasetRow;
      const open: { id: string }[] = await m.query(`SELECT id FROM simulation WHERE dataset_id = $1 AND status IN ('queued', 'running') ORDER BY created_at`, [
        id,
      ]);
      if (open.length) {
        throw new DatasetException(
          DatasetExceptionCode.InUse,
          `The dataset is in use by ${open.length} queued or running simulation(s) (${open.map((s) => s.id).join(', ')}); cancel them or wait until they finish`,
        );
      }
      // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's query().
      const [finished]: [{ id: string }[], number] = await m.query(
        `UPDATE simulation SET result = jsonb_set(result, '{samples}', '{}'::jsonb) || '{"samplesRemoved": true}'::jsonb
          WHERE dataset_id = $1 AND result ? 'samples' RETURNING id`,
        [id],
      );
      await m.query('DELETE FROM simulation_part WHERE simulation_id IN (SELECT id FROM simulation WHERE dataset_id = $1)', [id]);
      try {
        await m.query('DELETE FROM dataset WHERE id = $1', [id]); // its chunks cascade
      } catch (e) {
        if ((e as { driverError?: { code?: string } }).driverError?.code === '23503')
          throw new DatasetException(DatasetExceptionCode.InUse, 'The dataset is still referenced (e.g. by a rating run) and cannot be deleted');
        throw e;
      }
      const { details, ...before } = datasetView(d);
      await this.audit.record(m, {
        actor,
        action: 'dataset.delete',
        entityType: 'dataset',
        entityId: id,
        before: { ...before, details: { ...details, problems: undefined } },
        after: null,
        comment: finished.length ? `samples and per-customer results removed from ${finished.length} simulation(s)` : null,
      });
      return { id, deleted: true, simulationsAffected: finished.map((s) => s.id) };
    });
  }

  // ---- storing ----------------------------------------------------------------------------------

  /**
   * One transaction: the dataset row, its chunks by COPY, the audit event. Any failure (bad rows
   * under `reject`, a broken file, a dropped connection) rolls all of it back.
   */
  private async store(actor: string, source: DatasetSource, fill: (sink: ChunkSink) => Promise<Stored>): Promise<DatasetRow> {
    const qr = this.ds.createQueryRunner();
    const client = (await qr.connect()) as PoolClient;
    await qr.startTransaction();
    try {
      const id = randomUUID();
      await qr.query(
        `INSERT INTO dataset (id, name, source, row_count, chunk_rows, chunk_count, columns, created_by) VALUES ($1, $2, $3, 0, $4, 0, '[]', $5)`,
        [id, 'importing', source, this.settings.chunkRows, actor],
      );
      const sink = CopyChunkSink.open(client, id);
      let stored: Stored;
      try {
        stored = await fill(sink);
        await sink.close();
      } catch (e) {
        await sink.abort();
        throw e;
      }
      let policyId: string | null = null;
      if (stored.policy) {
        const [p]: { id: string }[] = await qr.query('SELECT id FROM policy WHERE key = $1', [stored.policy]);
        if (!p)
          throw new DatasetException(DatasetExceptionCode.UnknownPolicy, `No policy with key ${stored.policy}; nothing was imported`, [
            { path: 'policy', message: 'unknown policy' },
          ]);
        policyId = p.id;
      }
      await qr.query(
        `UPDATE dataset SET name = $2, row_count = $3, chunk_count = $4, columns = $5, id_column = $6, details = $7, as_of = $8, policy_id = $9 WHERE id = $1`,
        [
          id,
          stored.name ?? 'dataset',
          stored.rowCount,
          stored.chunkCount,
          JSON.stringify(stored.columns),
          stored.idColumn,
          JSON.stringify(stored.details),
          stored.asOf ?? null,
          policyId,
        ],
      );
      const row = (await qr.manager.getRepository(DatasetRow).findOneBy({ id })) as DatasetRow;
      const { details, ...after } = datasetView(row);
      await this.audit.record(qr.manager, {
        actor,
        action: 'dataset.create',
        entityType: 'dataset',
        entityId: id,
        after: { ...after, details: { ...details, problems: undefined } },
      });
      await qr.commitTransaction();
      return row;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }

  private importOptions(p: ImportParams): ImportOptions {
    return { badRows: p.badRows, unknownColumns: p.unknownColumns, idColumn: p.idColumn, mapping: p.mapping, chunkRows: this.settings.chunkRows };
  }

  private summaryDetails(
    summary: { rowsRead: number; skippedRows: number; problems: BadRow[]; ignoredColumns: string[] },
    p: ImportParams,
    extra: Record<string, unknown>,
  ) {
    return {
      ...extra,
      badRows: p.badRows,
      rowsRead: summary.rowsRead,
      skippedRows: summary.skippedRows,
      ...(summary.ignoredColumns.length ? { ignoredColumns: summary.ignoredColumns } : {}),
      ...(summary.problems.length ? { problems: summary.problems } : {}),
    };
  }

  /** JSON `{name, rows}`: the same mapping, coercion and bad-row policy as a CSV file. */
  async importJson(actor: string, body: unknown) {
    const nul = findNul(body);
    if (nul !== undefined) throw nulRefused(nul, nul);
    const parsed = jsonDatasetBody.safeParse(body);
    if (!parsed.success) badParams(parsed.error, 'The request body is not valid');
    const p = parsed.data;
    const facts = (await loadCatalog(this.ds.manager)).facts;
    const row = await this.store(actor, 'json', async (sink) => {
      const session = new ImportSession(facts, this.importOptions(p), sink);
      await session.addObjects(p.rows);
      const s = await session.finish();
      return { ...s, name: p.name, asOf: p.asOf, policy: p.policy, details: this.summaryDetails(s, p, {}) };
    });
    return datasetView(row);
  }

  /**
   * A CSV file streamed from a multipart body (field `file`, through @fastify/multipart): decoded,
   * tokenized, coerced and COPYed chunk by chunk, never held whole in memory; past its first 4 MiB in
   * parts read by the job threads at once (csv-import.ts). Over `maxUploadBytes` → 413.
   */
  async importCsv(actor: string, req: FastifyRequest, query: Record<string, unknown>) {
    const max = this.config.maxUploadBytes;
    const fromQuery: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string') fromQuery[k] = v;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max + 1024 * 1024) {
      await drainRequest(req.raw);
      throw tooLarge(max);
    }
    const facts = (await loadCatalog(this.ds.manager)).facts;
    const row = await readUpload(
      req,
      { fileSize: max, fields: 20, fieldSize: 1024 * 1024, parts: 40 },
      {
        malformed: (message) => new DatasetException(DatasetExceptionCode.MalformedUpload, message, [{ path: 'file', message }]),
        tooLarge: () => tooLarge(max),
        missing: () =>
          new DatasetException(DatasetExceptionCode.MalformedUpload, 'Send the CSV file in a multipart field named "file"', [
            { path: 'file', message: 'is required' },
          ]),
      },
      (upload) => this.importStream(actor, upload, facts),
      fromQuery,
    );
    return datasetView(row);
  }

  private importStream(actor: string, upload: UploadedFile, facts: FactDefinition[]): Promise<DatasetRow> {
    const stream = upload.part.file;
    const fileName = upload.part.filename || undefined;
    const overLimit = upload.truncated;
    return this.store(actor, 'csv', async (sink) => {
      const early = this.parseParams(upload.fieldsBefore);
      const requested = parseEncoding(early.encoding);
      let used: TextEncoding = 'utf-8';
      const options = this.importOptions(early);
      const session = new ImportSession(facts, options, sink);
      let bytes = 0;
      const counted = (async function* () {
        // Not destroyed when the import stops early (a bad header, a broken file): the rest is drained instead.
        for await (const b of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
          bytes += b.length;
          yield b;
        }
      })();
      try {
        await importCsv(counted, session, {
          requested,
          onEncoding: (e) => (used = e),
          catalog: facts,
          options,
          threads: threadTasksOf(this.executor),
          partBytes: this.settings.importPartBytes,
          buffers: this.metrics.importBuffers,
          atEnd: () => {
            if (overLimit()) throw tooLarge(this.config.maxUploadBytes);
          },
        });
      } catch (e) {
        if (overLimit()) throw tooLarge(this.config.maxUploadBytes);
        if (e instanceof CsvSyntaxError) {
          throw new DatasetException(DatasetExceptionCode.MalformedCsv, `The file is not valid CSV: ${e.message} (line ${e.line}); nothing was imported`, [
            { path: `line ${e.line}`, message: e.message },
          ]);
        }
        throw e;
      }
      const summary = await session.finish();
      // Fields sent after the file (the console sends `name` last) are known only now.
      const late = this.parseParams(await upload.allFields);
      const name = late.name ?? fileName?.replace(/\.[^.]*$/, '') ?? 'dataset';
      return {
        ...summary,
        name,
        asOf: late.asOf,
        policy: late.policy,
        details: this.summaryDetails(summary, early, { fileName: fileName ?? null, bytes, encoding: used }),
      };
    });
  }

  private parseParams(fields: Record<string, string>): ImportParams {
    const raw: Record<string, unknown> = { ...fields };
    if (typeof raw.mapping === 'string') {
      try {
        raw.mapping = JSON.parse(raw.mapping);
      } catch {
        throw new DatasetException(DatasetExceptionCode.BadParameter, 'mapping must be a JSON object like {"Assets": "avgDailyAssets"}', [
          { path: 'mapping', message: 'not valid JSON' },
        ]);
      }
      assertJsonDepth(raw.mapping, 'The mapping field', 'mapping');
    }
    for (const k of Object.keys(raw)) if (!(k in importParams.shape)) delete raw[k];
    const parsed = importParams.safeParse(raw);
    if (!parsed.success) badParams(parsed.error);
    return parsed.data;
  }

  /** What a synthetic dataset is generated for: a shipped template's current version, or a policy version. */
  private async syntheticSource(body: z.infer<typeof syntheticBody>): Promise<SyntheticSource & { label: string; details: Record<string, unknown> }> {
    if ((body.template === undefined) === (body.versionId === undefined)) {
      throw new DatasetException(DatasetExceptionCode.BadParameter, 'Give either template or versionId', [
        { path: body.template === undefined ? 'template' : 'versionId', message: 'give exactly one of template and versionId' },
      ]);
    }
    if (body.versionId !== undefined) {
      const version = await this.ds.manager.findOneBy(PolicyVersionRow, { id: body.versionId });
      if (!version) {
        throw new DatasetException(DatasetExceptionCode.UnknownVersion, `No policy version ${body.versionId}`, [
          { path: 'versionId', message: 'unknown version' },
        ]);
      }
      const policy = await this.ds.manager.findOneBy(PolicyRow, { id: version.policyId });
      return {
        definition: version.definition,
        facts: inputFacts(version.definition),
        label: `${policy?.key ?? version.policyId} v${version.number}`,
        details: { versionId: version.id },
      };
    }
    const template = getTemplate(body.template!);
    if (!template) {
      throw new DatasetException(DatasetExceptionCode.UnknownTemplate, `No template ${body.template}`, [{ path: 'template', message: 'unknown template' }]);
    }
    return {
      definition: template.current.definition,
      facts: template.current.catalog.facts.map((f) => f.key),
      label: template.key,
      details: { template: template.key },
    };
  }

  /** A deterministic population for a shipped template or a policy version (see synthetic.ts). */
  async createSynthetic(actor: string, body: z.infer<typeof syntheticBody>) {
    const source = await this.syntheticSource(body);
    const catalogFacts = (await loadCatalog(this.ds.manager)).facts;
    const catalog = new Map(catalogFacts.map((f) => [f.key, f]));
    const template = body.template === undefined ? undefined : getTemplate(body.template);
    const needed = template ? template.current.catalog.facts : source.facts.map((k) => catalog.get(k) ?? { key: k, label: k, type: 'number' as const });
    const missing = needed.filter((f) => catalog.get(f.key)?.type !== f.type);
    if (missing.length) {
      throw new DatasetException(
        DatasetExceptionCode.CatalogMismatch,
        `The fact catalog lacks facts of ${source.label} (or has them with another type); add them first`,
        missing.map((f) => ({
          path: `facts.${f.key}`,
          message: catalog.has(f.key) ? `is ${catalog.get(f.key)?.type} in the catalog; ${source.label} needs ${f.type}` : 'is not in the catalog',
        })),
      );
    }
    const plan = syntheticPlan(source, catalog);
    const row = await this.store(actor, 'synthetic', async (sink) => {
      const { chunkCount, sha256 } = await generateSynthetic(plan, body.size, body.seed, this.settings.chunkRows, sink);
      return {
        rowCount: body.size,
        chunkCount,
        columns: plan.columns,
        idColumn: 'customerId',
        name: body.name ?? `${source.label} synthetic ×${body.size} (seed ${body.seed})`,
        asOf: body.asOf,
        policy: body.policy,
        details: { ...source.details, size: body.size, seed: body.seed, sha256, dimensions: DIMENSIONS.filter((k) => catalog.has(k)) },
      };
    });
    return datasetView(row);
  }
}

function tooLarge(max: number) {
  return new DatasetException(
    DatasetExceptionCode.TooLarge,
    `The file is larger than the upload limit of ${Math.round(max / 1024 / 1024)} MB (MAX_UPLOAD_MB)`,
    [{ path: 'file', message: 'too large' }],
  );
}
