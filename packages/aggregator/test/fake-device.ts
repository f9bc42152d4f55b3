import {
  decodeHandshake,
  decodeMessage,
  decodeTimedFrame,
  encodeHandshake,
  encodeMessage,
  encodeTimedFrame,
  handshakeProof,
  packVector,
  type HandshakeMessage,
  type Message,
} from '@wearnet/protocol';
import { WebSocket } from 'ws';

/** What a fake device does with an inference request. */
export type Behaviour = (request: { requestId: number; sample: number; atMs: number }) => { vector: Float32Array; delayMs: number } | 'ignore';

/** A device without a model: speaks the protocol through a real medium, answering as told. */
export class FakeDevice {
  readonly received: Message[] = [];
  private ws!: WebSocket;

  constructor(
    readonly deviceId: string,
    readonly deviceIndex: number,
    private readonly part: number,
    private readonly outputLength: number,
    private readonly behaviour: Behaviour,
  ) {}

  /** The medium's verdict on this device's proof (`accepted` or `refused`). */
  verdict: HandshakeMessage | undefined;

  /**
   * Connects, answers the medium's challenge with `secret`, and (when accepted) sends the hello.
   * Resolves with the verdict.
   */
  async connect(mediumUrl: string, secret: string): Promise<HandshakeMessage> {
    this.ws = new WebSocket(`${mediumUrl}/device/${this.deviceId}`);
    let handshaking = true;
    const verdict = new Promise<HandshakeMessage>((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.on('message', (data: Buffer) => {
        if (handshaking) {
          const message = decodeHandshake(new Uint8Array(data));
          if (message.type === 'challenge') {
            const proof = handshakeProof({ secret: Buffer.from(secret), role: 'device', id: this.deviceId, runId: message.runId, nonce: message.nonce });
            this.ws.send(encodeHandshake({ v: 1, type: 'auth', role: 'device', id: this.deviceId, proof }));
            return;
          }
          handshaking = false;
          this.verdict = message;
          resolve(message);
          return;
        }
        this.receive(new Uint8Array(data));
      });
    });
    const result = await verdict;
    if (result.type !== 'accepted') return result;
    this.send(
      {
        v: 1,
        type: 'hello',
        deviceId: this.deviceId,
        deviceIndex: this.deviceIndex,
        deviceClass: 'cortex-m7-480',
        bundle: { part: this.part, outputLength: this.outputLength, macs: 1000, weightsSha256: '' },
      },
      0,
    );
    return result;
  }

  private receive(data: Uint8Array): void {
    const frame = decodeTimedFrame(data);
    const message = decodeMessage(frame.payload);
    this.received.push(message);
    if (message.type === 'infer') {
      const answer = this.behaviour({ requestId: message.requestId, sample: message.sample, atMs: frame.atMs });
      if (answer === 'ignore') return;
      this.send(
        { v: 1, type: 'result', requestId: message.requestId, vector: packVector(answer.vector), computeMs: answer.delayMs, hostMs: 0 },
        frame.atMs + answer.delayMs,
      );
    }
  }

  send(message: Message, atMs: number): void {
    this.ws.send(encodeTimedFrame({ atMs, payload: encodeMessage(message) }));
  }

  close(): void {
    this.ws.close();
  }
}
