import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { AggregatorError } from './errors';
import type { RequestRecord } from './request-record';

/** Appends one JSON line per record; each line is written to the OS before the call returns. */
export class RecordWriter {
  private fd: number | null;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  write(record: RequestRecord): void {
    if (this.fd === null) throw new AggregatorError('E_RECORDS_CLOSED', `${this.file} is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Flushes to disk and closes. */
  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
