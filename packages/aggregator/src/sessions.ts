import type { AggregatorManifest } from '@wearnet/bundle';
import type { HelloMessage } from '@wearnet/protocol';
import type { Gauge } from 'prom-client';
import type { ExpectedDevice } from './options';

/** What the hub knows of one expected device. */
export interface Session {
  device: ExpectedDevice;
  /** Whether the medium reports its link open. */
  linkOpen: boolean;
  authenticated: boolean;
  /** MACs of its student (from its hello). */
  macs: number;
}

/** A device as `GET /status` shows it. */
export interface SessionView {
  deviceId: string;
  linkOpen: boolean;
  authenticated: boolean;
}

/** Options of {@link Sessions}. */
export interface SessionsOptions {
  devices: readonly ExpectedDevice[];
  manifest: AggregatorManifest;
  /** Set to the number of authenticated devices. */
  gauge: Gauge;
  /** Called with the authenticated ids whenever that set changes. */
  onDevices: ((authenticated: string[]) => void) | undefined;
}

/** The session of every expected device: link state, authentication, student size. */
export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(private readonly options: SessionsOptions) {
    for (const device of options.devices) this.byId.set(device.deviceId, { device, linkOpen: false, authenticated: false, macs: 0 });
  }

  get(deviceId: string): Session | undefined {
    return this.byId.get(deviceId);
  }

  /** Every session, in the order of the expected devices. */
  all(): IterableIterator<Session> {
    return this.byId.values();
  }

  /** How many devices are authenticated. */
  authenticatedCount(): number {
    return [...this.byId.values()].filter((s) => s.authenticated).length;
  }

  /** Whether every expected device is authenticated. */
  allAuthenticated(): boolean {
    return [...this.byId.values()].every((s) => s.authenticated);
  }

  linkOpened(deviceId: string): void {
    const session = this.byId.get(deviceId);
    if (session) session.linkOpen = true;
  }

  linkClosed(deviceId: string): void {
    const session = this.byId.get(deviceId);
    if (!session) return;
    session.linkOpen = false;
    this.setAuthenticated(session, false);
  }

  /**
   * Checks a hello that arrived on `deviceId`'s link (known id, bundle index, part and vector
   * length; the medium has already authenticated the connection, see its gatekeeper); on success
   * the session is authenticated. Returns why it was refused, or
   * undefined when accepted.
   */
  admit(deviceId: string, hello: HelloMessage): string | undefined {
    const session = this.byId.get(deviceId);
    if (!session || hello.deviceId !== deviceId) return `unknown device "${hello.deviceId}"`;
    const m = this.options.manifest;
    if (hello.deviceIndex !== session.device.deviceIndex) return `device index ${hello.deviceIndex}, expected ${session.device.deviceIndex}`;
    if (hello.bundle.part !== m.devicePart[hello.deviceIndex] || hello.bundle.outputLength !== m.partWidths[hello.bundle.part]) {
      return `bundle part ${hello.bundle.part} / length ${hello.bundle.outputLength} does not fit the aggregator bundle`;
    }
    session.macs = hello.bundle.macs;
    session.linkOpen = true;
    this.setAuthenticated(session, true);
    return undefined;
  }

  setAuthenticated(session: Session, value: boolean): void {
    const changed = session.authenticated !== value;
    session.authenticated = value;
    const authenticated = [...this.byId.values()].filter((s) => s.authenticated).map((s) => s.device.deviceId);
    this.options.gauge.set(authenticated.length);
    if (changed) this.options.onDevices?.(authenticated);
  }

  views(): SessionView[] {
    return [...this.byId.values()].map((s) => ({ deviceId: s.device.deviceId, linkOpen: s.linkOpen, authenticated: s.authenticated }));
  }
}
