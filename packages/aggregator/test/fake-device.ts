import { decodeMessage, decodeTimedFrame, encodeMessage, encodeTimedFrame, packVector, type Message } from '@wearnet/protocol';
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

  async connect(mediumUrl: string, token: string): Promise<void> {
    this.ws = new WebSocket(`${mediumUrl}/device/${this.deviceId}`);
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer) => {
      const frame = decodeTimedFrame(new Uint8Array(data));
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
    });
    this.send(
      {
        v: 1,
        type: 'hello',
        deviceId: this.deviceId,
        token,
        deviceIndex: this.deviceIndex,
        deviceClass: 'cortex-m7-480',
        bundle: { part: this.part, outputLength: this.outputLength, macs: 1000, weightsSha256: '' },
      },
      0,
    );
  }

  send(message: Message, atMs: number): void {
    this.ws.send(encodeTimedFrame({ atMs, payload: encodeMessage(message) }));
  }

  close(): void {
    this.ws.close();
  }
}
