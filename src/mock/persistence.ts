// `--state <file>`: the sites and their accounts kept across restarts. The file is read back at start and
// checked (the contract's MockState schema, then the rules records.ts adds), and written atomically: the
// whole state to a temporary file beside it, flushed to disk, then renamed over the old one, so that a
// kill at any moment leaves either the old file or the new one, never half of one.
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SiteCredentials } from './credentials.js';
import { recordOf, type AccountRecord } from './records.js';
import type { Sites } from './sites.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Schema } from './contract.js';
import { ajvProblems } from './validation.js';

interface SiteState extends SiteCredentials {
  accounts: AccountRecord[];
}

export interface StateFile {
  version: 1;
  sites: SiteState[];
}

/** A file that cannot be used, and why (naming the member). */
export class StateFileError extends Error {}

/**
 * The state of every site, as the file holds it.
 * @public also timed by bench/lib/state-figures.mjs, which imports packages/mock/dist by a computed path.
 */
export function snapshot(sites: Sites): StateFile {
  const out: SiteState[] = [];
  for (const site of sites.all()) out.push({ ...site.credentials.site, accounts: [...site.lifecycle.store.all()].map(recordOf) });
  return { version: 1, sites: out };
}

/** Reads a JSON file (a state file or a fixture); throws a StateFileError saying what is wrong. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StateFileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Checks a value against a validator; throws a StateFileError naming the first member that is wrong. */
export function checkShape(value: unknown, validate: ValidateFunction, file: string, what: string): void {
  if (validate(value)) return;
  const first = ajvProblems(validate.errors)[0];
  const where = first ? [...first.path, ...(first.missing ? [first.missing] : [])].join('.') || '(top level)' : '(top level)';
  throw new StateFileError(`${file}: ${where}: ${first?.missing ? 'is required' : (first?.message ?? 'is not valid')} (${what})`);
}

/**
 * The state file's schema: the sites with their credentials, each site's accounts being the contract's
 * MockAccountList (the one description of an account, shared with fixtures and the controls).
 */
export function stateFileSchema(): Schema {
  const text = { type: 'string', minLength: 1 };
  return {
    type: 'object',
    required: ['version', 'sites'],
    additionalProperties: false,
    properties: {
      version: { const: 1 },
      sites: {
        type: 'array',
        items: {
          type: 'object',
          required: ['apiKey', 'secret', 'userKey', 'userSecret', 'accounts'],
          additionalProperties: false,
          properties: {
            apiKey: text,
            secret: text,
            userKey: text,
            userSecret: text,
            accounts: { $ref: 'contract#/components/schemas/MockAccountList' },
          },
        },
      },
    },
  };
}

function syncDirectory(file: string): void {
  // Makes the rename itself durable; not every platform lets a directory be opened for that.
  try {
    const fd = openSync(dirname(file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * Writes `text` to `file` atomically (temporary file, fsync, rename).
 * @public also timed by bench/lib/state-figures.mjs, which imports packages/mock/dist by a computed path.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  syncDirectory(file);
}

/**
 * Saves the state some time after it changed (at most one write at a time, the latest state each time),
 * so that a burst of calls costs one write.
 */
export class StateSaver {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** The last write's failure, reported once through `onError`. */
  constructor(
    private readonly file: string,
    private readonly sites: Sites,
    private readonly onError: (error: Error) => void,
    private readonly delayMs = 100,
  ) {}

  changed(): void {
    this.dirty = true;
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => void this.write(), this.delayMs);
  }

  private async write(): Promise<void> {
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = writeAtomically(this.file, JSON.stringify(snapshot(this.sites))).catch((error: Error) => this.onError(error));
    await this.writing;
    this.writing = undefined;
    if (this.dirty) this.changed();
  }

  /** Writes what is not written yet; resolves when the file holds the current state. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) await this.writing;
    if (this.dirty) await this.write();
  }
}
