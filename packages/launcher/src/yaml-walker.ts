import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import { LauncherError } from './errors';

/** A path into a YAML document: keys and sequence indices. */
export type YamlPath = (string | number)[];

/** Renders a path as `devices[3].class`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out || '(root)';
}

/**
 * A parsed YAML file that can point at any path: errors read
 * `file:line:col: path: message` and carry code `E_TOPOLOGY_INVALID` and the path.
 */
export class YamlWalker {
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const [first] = this.doc.errors;
    if (first) {
      const { line, col } = this.lines.linePos(first.pos[0]);
      throw new LauncherError('E_TOPOLOGY_INVALID', `${file}:${line}:${col}: ${first.message.split('\n')[0]}`);
    }
    this.value = this.doc.toJS({ maxAliasCount: 100 });
  }

  /** An E_TOPOLOGY_INVALID error pointing at `path` (or its nearest existing parent). */
  error(path: YamlPath, message: string): LauncherError {
    return new LauncherError('E_TOPOLOGY_INVALID', `${this.file}:${this.position(path)}: ${formatPath(path)}: ${message}`, { path: formatPath(path) });
  }

  private position(path: YamlPath): string {
    for (let n = path.length; n >= 0; n -= 1) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const range = node && typeof node === 'object' ? node.range : undefined;
      if (range) {
        const { line, col } = this.lines.linePos(range[0]);
        return `${line}:${col}`;
      }
      if (n === 0 && (isMap(this.doc.contents) || isSeq(this.doc.contents))) return '1:1';
    }
    return '1:1';
  }
}
