import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { AggregatorError } from './errors';
import type { RequestRecord } from './request-record';

/**
 * Appends one JSON line per record (`requests.jsonl`, and `issued.jsonl` with `T` = {@link IssuedEntry}).
 * Policy: the file is opened in append mode; each line is one `write(2)` of the whole line, done
 * before the call returns, so it survives the process being killed (SIGKILL included) once the call
 * has returned: what the OS holds reaches the disk unless the machine itself fails. `close` fsyncs.
 * No fsync per line: a power loss may lose the last lines, never reorder or interleave them.
 */
export class RecordWriter<T = RequestRecord> {
  private fd: number | null;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  write(record: T): void {
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

/**
 * One line of `issued.jsonl`, written before the request is sent: whoever finds a request issued
 * but not recorded (the aggregator was killed) writes its record as cut.
 */
export interface IssuedEntry {
  id: number;
  sample: number;
  label: number;
  /** Modelled start, ms. */
  startMs: number;
}
