/**
 * The warehouse port: what jobs, the API and the CLI need, in domain words.
 * One implementation (`domain-warehouse.ts`) over SQLite, PostgreSQL or
 * MongoDB storage (`openWarehouse`). Instants are `Date`s (UTC) everywhere.
 */
import type { AccountSummaryRecord, SummaryFlow } from '../domain/account-summary.js';
import type { PerformanceRow } from '../domain/performance-row.js';
import type { ExchangeCredentials, Portfolio } from '../domain/portfolio.js';
import type { WarehouseDocument } from './documents.js';

export type PerformanceKind = 'portfolio' | 'master';

/** Credentials as stored: each value plain text, `env:VAR_NAME` or `enc:v1:...` (see README.md). */
export interface StoredCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly password?: string | null;
  readonly memo?: string | null;
}

export interface SummaryRangeQuery {
  /** Inclusive bounds on current_time. */
  readonly from: Date;
  readonly to: Date;
  /** Only these portfolios. */
  readonly portfolios?: readonly string[];
  /** Only portfolios whose master_portfolio is one of these (whatever their status). */
  readonly masterPortfolios?: readonly string[];
}

export interface PerformanceRangeQuery {
  readonly keys?: readonly string[];
  readonly from: Date;
  readonly to: Date;
}

export interface PerformanceDeletion {
  /**
   * These keys, or `'all'` for every key. Required, unlike a read's `keys`:
   * a forgotten filter must not empty a time range of every key.
   */
  readonly keys: readonly string[] | 'all';
  /** Inclusive bounds on current_time; rows outside them are never touched. */
  readonly from: Date;
  readonly to: Date;
}

/** Arguments of OP_delete_duplicate_data; names are checked against the catalog. */
export interface DeleteDuplicatesRequest {
  readonly dbName: string;
  readonly collName: string;
  readonly timeField: string;
  readonly groupFields: readonly string[];
  readonly timeStart?: Date | undefined;
  readonly timeEnd?: Date | undefined;
  readonly extraMatch?: Readonly<Record<string, unknown>> | undefined;
  /** Ordered `{field: 1 | -1}`: among documents with the same time, the first in this order is kept. */
  readonly sortTiebreak?: Readonly<Record<string, 1 | -1>> | undefined;
  readonly batchDeleteSize: number;
  readonly dryRun: boolean;
}

export interface DeleteDuplicatesReport {
  readonly scanned: number;
  readonly groups: number;
  readonly duplicates: number;
  readonly deleted: number;
  readonly batches: number;
  readonly dryRun: boolean;
}

/** One update of OP_insert_data's `update` mode, in the original's pymongo shape. */
export interface UpdateRequest {
  /** Equality on catalog fields; applies to every matching document. */
  readonly filter: Readonly<Record<string, unknown>>;
  readonly update: { readonly $set: Readonly<Record<string, unknown>> };
  /** Insert filter + $set when nothing matches (they must then form a complete document). */
  readonly upsert?: boolean | undefined;
}

export interface MergeOptions {
  /** Fields matching a document to its stored counterpart. @default the collection's natural key */
  readonly keyFields?: readonly string[] | undefined;
  /** `set` updates the given fields; `replace` replaces the whole document. */
  readonly strategy: 'set' | 'replace';
  /** Insert documents that match nothing. */
  readonly upsert: boolean;
}

export interface WriteCounts {
  readonly matched: number;
  readonly upserted: number;
}

export interface Warehouse {
  /** `true` when the test databases (T_DATA/T_MART) are in use. */
  readonly isTest: boolean;

  portfolios(): Promise<Portfolio[]>;
  activePortfolios(): Promise<Portfolio[]>;
  /**
   * The one way to obtain a portfolio's exchange credentials, resolving env
   * references and decrypting. For the exchanges module only: never log,
   * return or store the result. Throws CredentialError naming the portfolio
   * and field (never a value) when one cannot be resolved.
   */
  credentialsFor(portfolio: string): Promise<ExchangeCredentials>;
  /** Creates or replaces a portfolio (demo seeding, CLI). */
  upsertPortfolio(portfolio: Portfolio, credentials: StoredCredentials): Promise<void>;

  /** Upserts on (portfolio, current_time) and writes tw_time. */
  upsertAccountSummaries(records: readonly AccountSummaryRecord[]): Promise<void>;
  /** Summaries in a range ordered by current_time then portfolio, read a page at a time. */
  streamSummaries(query: SummaryRangeQuery): AsyncIterable<AccountSummaryRecord>;
  /**
   * The same rows as `streamSummaries`, reading only what the performance chain needs: the marts
   * read every summary of a range, and the balances are most of a row's bytes and decoding.
   */
  streamSummaryFlows(query: SummaryRangeQuery): AsyncIterable<SummaryFlow>;
  /** The newest summary of each portfolio (every portfolio when omitted); portfolios without one are absent. */
  latestSummaries(portfolios?: readonly string[]): Promise<AccountSummaryRecord[]>;

  /** The newest row per key, or the newest strictly before `before` (a refill's seed). */
  latestPerformance(kind: PerformanceKind, keys: readonly string[], before?: Date): Promise<PerformanceRow[]>;
  upsertPerformanceRows(kind: PerformanceKind, rows: readonly PerformanceRow[]): Promise<void>;
  /** Deletes the rows of the given keys in a time range (a refill clearing what it recomputes); returns how many. */
  deletePerformance(kind: PerformanceKind, deletion: PerformanceDeletion): Promise<number>;
  /** Rows in a range ordered by current_time then key, read a page at a time. */
  streamPerformance(kind: PerformanceKind, query: PerformanceRangeQuery): AsyncIterable<PerformanceRow>;

  /** Generic operations on a named database (`DATA`/`MART`, or the physical name of the pair in use). */
  findDocuments(dbName: string, collName: string, filter?: Readonly<Record<string, unknown>>): AsyncIterable<WarehouseDocument>;
  deleteDuplicates(request: DeleteDuplicatesRequest): Promise<DeleteDuplicatesReport>;
  /** Inserts documents, skipping any whose natural key already exists. Validates all before writing any. */
  insertDocuments(dbName: string, collName: string, documents: readonly unknown[]): Promise<{ inserted: number; skipped: number }>;
  updateDocuments(dbName: string, collName: string, updates: readonly UpdateRequest[]): Promise<WriteCounts>;
  mergeDocuments(dbName: string, collName: string, documents: readonly unknown[], options: MergeOptions): Promise<WriteCounts>;
  /** Upserts documents by natural key, replacing them (import). */
  upsertDocuments(dbName: string, collName: string, documents: readonly unknown[]): Promise<void>;

  close(): Promise<void>;
}
