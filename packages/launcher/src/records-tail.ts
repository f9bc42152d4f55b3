import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { RequestRecord } from '@wearnet/aggregator';

/**
 * Reads the records the aggregator appends to `requests.jsonl`, incrementally: each call returns
 * the complete lines written since the previous one (the aggregator writes a whole line to the OS
 * before it reports the request finalised).
 */
export class RecordsTail {
  private offset = 0;
  private partial = '';

  constructor(readonly file: string) {}

  /** Records appended since the last call; none when the file does not exist yet. */
  read(): RequestRecord[] {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return [];
    }
    const records: RequestRecord[] = [];
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return records;
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') records.push(JSON.parse(line) as RequestRecord);
    } finally {
      closeSync(fd);
    }
    return records;
  }
}
