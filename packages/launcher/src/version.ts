import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROTOCOL_VERSION } from '@wearnet/protocol';
import { CONTROL_API_VERSION, type VersionView } from '@wearnet/roles';

let cached: string | undefined;

/** wearnet's version: the `version` of this package's package.json (every package shares it). */
export function wearnetVersion(): string {
  if (cached === undefined) {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    cached = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return cached;
}

/** `GET /version` of the control API: wearnet's version, the wire protocol's and the control API's. */
export function versionView(): VersionView {
  return { version: wearnetVersion(), protocolVersion: PROTOCOL_VERSION, apiVersion: CONTROL_API_VERSION };
}
