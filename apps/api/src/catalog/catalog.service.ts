import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ListQuery } from '../common/list-query';
import { CatalogException, CatalogExceptionCode } from './catalog.exception';
import { CatalogSpec } from './catalog.specs';

/** One implementation for facts, benefits and benefit packages: addressed by key, keys never change, every change audited. */
export class CatalogService<T extends { key: string }, R extends ObjectLiteral> {
  constructor(
    readonly spec: CatalogSpec<T, R>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(q: ListQuery): Promise<{ rows: (T & { id: string })[]; total: number }> {
    const qb = this.ds.getRepository(this.spec.entity).createQueryBuilder('c');
    const search = q.filter.q;
    if (typeof search === 'string' && search) qb.where('c.key::text ILIKE :q OR to_jsonb(c)::text ILIKE :q', { q: `%${search}%` });
    const ids = q.filter.id;
    if (Array.isArray(ids)) qb.andWhere('c.key IN (:...ids)', { ids: ids.length ? ids.map(String) : [''] });
    const [rows, total] = await qb.orderBy(`c.${q.sortField}`, q.sortOrder).skip(q.skip).take(q.take).getManyAndCount();
    return { rows: rows.map((r) => this.shown(r)), total };
  }

  async all(m: EntityManager = this.ds.manager): Promise<T[]> {
    const rows = await m.getRepository(this.spec.entity).find();
    return rows.map((r) => this.spec.toItem(r));
  }

  async get(key: string, m: EntityManager = this.ds.manager): Promise<T & { id: string }> {
    const row = await m.getRepository(this.spec.entity).findOneBy({ key } as never);
    if (!row) throw new CatalogException(CatalogExceptionCode.NotFound, `No ${this.spec.label} with key ${key}`);
    return this.shown(row);
  }

  create(actor: string, item: T) {
    return this.ds.transaction((m) => this.createIn(m, actor, item));
  }

  async createIn(m: EntityManager, actor: string, item: T) {
    await this.checkReferences(m, item);
    const repo = m.getRepository(this.spec.entity);
    if (await repo.existsBy({ key: item.key } as never)) {
      throw new CatalogException(CatalogExceptionCode.AlreadyExists, `A ${this.spec.label} with key ${item.key} exists`, [
        { path: 'key', message: 'is taken' },
      ]);
    }
    await repo.insert(this.spec.toRow(item) as never);
    const created = await this.get(item.key, m);
    await this.audit.record(m, {
      actor,
      action: `${this.spec.entityType}.create`,
      entityType: this.spec.entityType,
      entityId: item.key,
      after: this.spec.toItem(created as never),
    });
    return created;
  }

  replace(actor: string, key: string, item: T) {
    if (item.key !== key) {
      throw new CatalogException(CatalogExceptionCode.KeyMismatch, `Keys never change: the body's key must be ${key}`, [
        { path: 'key', message: `must be ${key}` },
      ]);
    }
    return this.ds.transaction(async (m) => {
      const before = this.spec.toItem(await this.locked(m, key));
      await this.checkReferences(m, item);
      const blockers = await this.spec.blockers(m, before, item);
      if (blockers.length) throw this.inUse(key, 'change the type of', blockers);
      await m.getRepository(this.spec.entity).update({ key } as never, this.spec.toRow(item) as never);
      const after = await this.get(key, m);
      await this.audit.record(m, {
        actor,
        action: `${this.spec.entityType}.update`,
        entityType: this.spec.entityType,
        entityId: key,
        before,
        after: this.spec.toItem(after as never),
      });
      return after;
    });
  }

  remove(actor: string, key: string) {
    return this.ds.transaction(async (m) => {
      const before = this.spec.toItem(await this.locked(m, key));
      const blockers = await this.spec.blockers(m, before);
      if (blockers.length) throw this.inUse(key, 'delete', blockers);
      await m.getRepository(this.spec.entity).delete({ key } as never);
      await this.audit.record(m, { actor, action: `${this.spec.entityType}.delete`, entityType: this.spec.entityType, entityId: key, before });
      return { ...before, id: key };
    });
  }

  private shown(row: R): T & { id: string } {
    const item = this.spec.toItem(row);
    return { id: item.key, ...item, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }

  private async locked(m: EntityManager, key: string): Promise<R> {
    const row = await m.getRepository(this.spec.entity).createQueryBuilder('c').setLock('pessimistic_write').where('c.key = :key', { key }).getOne();
    if (!row) throw new CatalogException(CatalogExceptionCode.NotFound, `No ${this.spec.label} with key ${key}`);
    return row;
  }

  private async checkReferences(m: EntityManager, item: T) {
    const unknown = await this.spec.unknownReferences(m, item);
    if (unknown.length)
      throw new CatalogException(CatalogExceptionCode.UnknownReference, `The ${this.spec.label} refers to something that does not exist`, unknown);
  }

  private inUse(key: string, what: string, users: string[]) {
    return new CatalogException(
      CatalogExceptionCode.InUse,
      `Cannot ${what} ${this.spec.label} ${key}: used by ${users.join(', ')}`,
      users.map((u) => ({ path: 'key', message: `used by ${u}` })),
    );
  }
}
