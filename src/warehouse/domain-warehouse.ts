/**
 * The Warehouse port implemented once over any WarehouseStore: maps domain
 * values to the original documents, writes tw_time, resolves credentials and
 * validates generic operations before anything reaches a store.
 */
import type { AccountSummaryRecord, AssetBalance, SummaryFlow } from '../domain/account-summary.js';
import type { PerformanceRow } from '../domain/performance-row.js';
import type { ExchangeCredentials, Portfolio } from '../domain/portfolio.js';
import { checkField, COLLECTIONS, physicalDatabase, resolveTarget, type Target } from './catalog.js';
import { resolveCredential, type CredentialSources } from './credentials.js';
import { coerceDocument, coerceEquality, type WarehouseDocument } from './documents.js';
import { WarehouseInputError } from './errors.js';
import type { RangeQuery, UpdateOperation, WarehouseStore } from './store.js';
import type {
  DeleteDuplicatesReport,
  DeleteDuplicatesRequest,
  MergeOptions,
  PerformanceDeletion,
  PerformanceKind,
  PerformanceRangeQuery,
  StoredCredentials,
  SummaryRangeQuery,
  UpdateRequest,
  Warehouse,
  WriteCounts,
} from './warehouse.js';

export interface DomainWarehouseOptions {
  readonly isTest: boolean;
  readonly twTime: (instant: Date) => string;
  readonly credentials: CredentialSources;
}

const PERFORMANCE = {
  portfolio: { collection: COLLECTIONS.portfolio_performance, keyField: 'portfolio' },
  master: { collection: COLLECTIONS.master_portfolio_performance, keyField: 'master_portfolio' },
} as const;

function toPortfolio(doc: WarehouseDocument): Portfolio {
  return {
    portfolio: doc['portfolio'] as string,
    exchange: doc['exchange'] as string,
    status: doc['status'] as string,
    positionThreshold: (doc['position_threshold'] as number | null) ?? null,
    masterPortfolio: (doc['master_portfolio'] as string | null) ?? null,
    composite: (doc['composite'] as string | null) ?? null,
  };
}

const FLOW_FIELDS = ['portfolio', 'current_time', 'total_usd_value', 'transfer_adjustment'] as const;

function toFlow(doc: WarehouseDocument): SummaryFlow {
  return {
    portfolio: doc['portfolio'] as string,
    currentTime: doc['current_time'] as Date,
    totalUsdValue: doc['total_usd_value'] as number,
    transferAdjustment: doc['transfer_adjustment'] as number,
  };
}

function toSummary(doc: WarehouseDocument): AccountSummaryRecord {
  return {
    ...toFlow(doc),
    exchange: doc['exchange'] as string,
    balances: doc['balances'] as Record<string, AssetBalance>,
  };
}

function toPerformance(doc: WarehouseDocument, keyField: string): PerformanceRow {
  return {
    key: doc[keyField] as string,
    currentTime: doc['current_time'] as Date,
    totalUsdValue: doc['total_usd_value'] as number,
    historyHigh: doc['history_high'] as number,
    nav: doc['nav'] as number,
    currentReturn: doc['current_return'] as number,
    crr: doc['crr'] as number,
    cd: doc['cd'] as number,
    mdd: doc['mdd'] as number,
  };
}

export class DomainWarehouse implements Warehouse {
  readonly isTest: boolean;

  constructor(
    private readonly store: WarehouseStore,
    private readonly options: DomainWarehouseOptions,
  ) {
    this.isTest = options.isTest;
  }

  private target(collection: Target['collection']): Target {
    return { database: physicalDatabase(collection.database, this.isTest), collection };
  }

  private get portfolioTarget(): Target {
    return this.target(COLLECTIONS.portfolio);
  }

  private get summaryTarget(): Target {
    return this.target(COLLECTIONS.account_summary_1_minute);
  }

  private async collect(filter: WarehouseDocument): Promise<Portfolio[]> {
    const found: Portfolio[] = [];
    for await (const doc of this.store.find(this.portfolioTarget, filter)) found.push(toPortfolio(doc));
    return found;
  }

  portfolios(): Promise<Portfolio[]> {
    return this.collect({});
  }

  activePortfolios(): Promise<Portfolio[]> {
    return this.collect({ status: 'active' });
  }

  async credentialsFor(portfolio: string): Promise<ExchangeCredentials> {
    let doc: WarehouseDocument | undefined;
    for await (const found of this.store.find(this.portfolioTarget, { portfolio })) doc = found;
    if (!doc) throw new WarehouseInputError(`unknown portfolio "${portfolio}"`);
    const field = (name: string, required: boolean): string | undefined => {
      const stored = doc[name];
      if (typeof stored !== 'string' || stored === '') {
        if (required) throw new WarehouseInputError(`portfolio "${portfolio}" has no ${name}`);
        return undefined;
      }
      return resolveCredential(portfolio, name, stored, this.options.credentials);
    };
    const apiKey = field('api_key', true) as string;
    const apiSecret = field('api_secret', true) as string;
    const password = field('password', false);
    const memo = field('memo', false);
    return {
      apiKey,
      apiSecret,
      ...(password === undefined ? {} : { password }),
      ...(memo === undefined ? {} : { memo }),
    };
  }

  async upsertPortfolio(portfolio: Portfolio, credentials: StoredCredentials): Promise<void> {
    await this.upsertDocuments('DATA', 'portfolio', [
      {
        portfolio: portfolio.portfolio,
        exchange: portfolio.exchange,
        status: portfolio.status,
        position_threshold: portfolio.positionThreshold,
        master_portfolio: portfolio.masterPortfolio,
        composite: portfolio.composite,
        api_key: credentials.apiKey,
        api_secret: credentials.apiSecret,
        password: credentials.password ?? null,
        memo: credentials.memo ?? null,
      },
    ]);
  }

  async upsertAccountSummaries(records: readonly AccountSummaryRecord[]): Promise<void> {
    await this.store.upsert(
      this.summaryTarget,
      records.map((r) => ({
        portfolio: r.portfolio,
        exchange: r.exchange,
        total_usd_value: r.totalUsdValue,
        balances: r.balances,
        transfer_adjustment: r.transferAdjustment,
        current_time: r.currentTime,
        tw_time: this.options.twTime(r.currentTime),
      })),
    );
  }

  /** The store's range query for a summary query: masters resolved to their members. */
  private async summaryRange(query: SummaryRangeQuery): Promise<RangeQuery> {
    if (query.portfolios && query.masterPortfolios) {
      throw new WarehouseInputError('a summary query takes portfolios or masterPortfolios, not both');
    }
    let keys = query.portfolios;
    if (query.masterPortfolios) {
      const members: string[] = [];
      for (const master of query.masterPortfolios) {
        for await (const doc of this.store.find(this.portfolioTarget, { master_portfolio: master })) members.push(doc['portfolio'] as string);
      }
      keys = members;
    }
    return { keyField: 'portfolio', from: query.from, to: query.to, ...(keys ? { keys } : {}) };
  }

  async *streamSummaries(query: SummaryRangeQuery): AsyncIterable<AccountSummaryRecord> {
    for await (const doc of this.store.range(this.summaryTarget, await this.summaryRange(query))) yield toSummary(doc);
  }

  async *streamSummaryFlows(query: SummaryRangeQuery): AsyncIterable<SummaryFlow> {
    const range = await this.summaryRange(query);
    for await (const doc of this.store.range(this.summaryTarget, range, FLOW_FIELDS)) yield toFlow(doc);
  }

  async latestSummaries(portfolios?: readonly string[]): Promise<AccountSummaryRecord[]> {
    const keys = portfolios ?? (await this.portfolios()).map((p) => p.portfolio);
    return (await this.store.latest(this.summaryTarget, 'portfolio', keys)).map(toSummary);
  }

  async latestPerformance(kind: PerformanceKind, keys: readonly string[], before?: Date): Promise<PerformanceRow[]> {
    const { collection, keyField } = PERFORMANCE[kind];
    const docs = await this.store.latest(this.target(collection), keyField, keys, before);
    return docs.map((doc) => toPerformance(doc, keyField));
  }

  async upsertPerformanceRows(kind: PerformanceKind, rows: readonly PerformanceRow[]): Promise<void> {
    const { collection, keyField } = PERFORMANCE[kind];
    await this.store.upsert(
      this.target(collection),
      rows.map((r) => ({
        [keyField]: r.key,
        total_usd_value: r.totalUsdValue,
        history_high: r.historyHigh,
        nav: r.nav,
        current_return: r.currentReturn,
        crr: r.crr,
        cd: r.cd,
        mdd: r.mdd,
        current_time: r.currentTime,
        tw_time: this.options.twTime(r.currentTime),
      })),
    );
  }

  async deletePerformance(kind: PerformanceKind, deletion: PerformanceDeletion): Promise<number> {
    const { from, to, keys } = deletion;
    // Checked once here: each engine would treat an invalid Date differently (an error, or matching nothing).
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() > to.getTime()) {
      throw new WarehouseInputError(`deletePerformance needs valid times with from <= to, got ${String(from)} .. ${String(to)}`);
    }
    const { collection, keyField } = PERFORMANCE[kind];
    return this.store.deleteRange(this.target(collection), { keyField, from, to, ...(keys === 'all' ? {} : { keys }) });
  }

  async *streamPerformance(kind: PerformanceKind, query: PerformanceRangeQuery): AsyncIterable<PerformanceRow> {
    const { collection, keyField } = PERFORMANCE[kind];
    const range = { keyField, from: query.from, to: query.to, ...(query.keys ? { keys: query.keys } : {}) };
    for await (const doc of this.store.range(this.target(collection), range)) yield toPerformance(doc, keyField);
  }

  async *findDocuments(dbName: string, collName: string, filter: Readonly<Record<string, unknown>> = {}): AsyncIterable<WarehouseDocument> {
    const target = resolveTarget(dbName, collName, this.isTest);
    yield* this.store.find(target, coerceEquality(target.collection, filter, 'filter'));
  }

  async deleteDuplicates(request: DeleteDuplicatesRequest): Promise<DeleteDuplicatesReport> {
    const target = resolveTarget(request.dbName, request.collName, this.isTest);
    const { collection } = target;
    const timeSpec = checkField(collection, request.timeField, 'time_field');
    if (timeSpec.type !== 'time') throw new WarehouseInputError(`time_field "${request.timeField}" is not a time field of ${collection.name}`);
    if (request.groupFields.length === 0) throw new WarehouseInputError('group_fields must name at least one field');
    for (const field of request.groupFields) checkField(collection, field, 'group_fields');
    const tiebreak = Object.entries(request.sortTiebreak ?? {});
    for (const [field] of tiebreak) checkField(collection, field, 'sort_tiebreak');
    if (!Number.isInteger(request.batchDeleteSize) || request.batchDeleteSize < 1) {
      throw new WarehouseInputError('batch_delete_size must be a positive integer');
    }
    const scope = {
      timeField: request.timeField,
      groupFields: request.groupFields,
      timeStart: request.timeStart,
      timeEnd: request.timeEnd,
      extraMatch: coerceEquality(collection, request.extraMatch ?? {}, 'extra_match'),
      tiebreak,
    };
    const counts = await this.store.deleteDuplicates(target, scope, { batchSize: request.batchDeleteSize, dryRun: request.dryRun });
    return { ...counts, dryRun: request.dryRun };
  }

  private coerceAll(target: Target, documents: readonly unknown[], complete: boolean): WarehouseDocument[] {
    return documents.map((doc, i) => coerceDocument(target.collection, doc, i, { complete, twTime: this.options.twTime }));
  }

  async insertDocuments(dbName: string, collName: string, documents: readonly unknown[]): Promise<{ inserted: number; skipped: number }> {
    const target = resolveTarget(dbName, collName, this.isTest);
    return this.store.insert(target, this.coerceAll(target, documents, true));
  }

  async updateDocuments(dbName: string, collName: string, updates: readonly UpdateRequest[]): Promise<WriteCounts> {
    const target = resolveTarget(dbName, collName, this.isTest);
    const ops = updates.map((u, i): UpdateOperation => {
      const filter = coerceEquality(target.collection, u.filter, `update_ops[${i}].filter`);
      if (Object.keys(filter).length === 0) throw new WarehouseInputError(`update_ops[${i}].filter must name at least one field`);
      const set = coerceDocument(target.collection, u.update.$set, i, { complete: false, twTime: this.options.twTime });
      if (Object.keys(set).length === 0) throw new WarehouseInputError(`update_ops[${i}].update.$set must set at least one field`);
      if (u.upsert) coerceDocument(target.collection, { ...filter, ...set }, i, { complete: true, twTime: this.options.twTime });
      return { filter, set, replace: false, upsert: u.upsert ?? false };
    });
    return this.store.update(target, ops);
  }

  async mergeDocuments(dbName: string, collName: string, documents: readonly unknown[], options: MergeOptions): Promise<WriteCounts> {
    const target = resolveTarget(dbName, collName, this.isTest);
    const keyFields = options.keyFields ?? target.collection.key;
    if (keyFields.length === 0) throw new WarehouseInputError('key_fields must name at least one field');
    for (const field of keyFields) checkField(target.collection, field, 'key_fields');
    const complete = options.strategy === 'replace' || options.upsert;
    const ops = this.coerceAll(target, documents, complete).map((doc, i): UpdateOperation => {
      const filter: WarehouseDocument = {};
      const set: WarehouseDocument = {};
      for (const [field, value] of Object.entries(doc)) (keyFields.includes(field) ? filter : set)[field] = value;
      for (const field of keyFields) {
        if (filter[field] == null) throw new WarehouseInputError(`${collName} document #${i}: key field ${field} is missing`);
      }
      if (Object.keys(set).length === 0) throw new WarehouseInputError(`${collName} document #${i} has no fields besides key_fields`);
      return { filter, set, replace: options.strategy === 'replace', upsert: options.upsert };
    });
    return this.store.update(target, ops);
  }

  async upsertDocuments(dbName: string, collName: string, documents: readonly unknown[]): Promise<void> {
    const target = resolveTarget(dbName, collName, this.isTest);
    await this.store.upsert(target, this.coerceAll(target, documents, true));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
