import { PassThrough } from 'node:stream';
import { deviceMain, parseDeviceArgv } from '../src/main';

describe('parseDeviceArgv', () => {
  it('reads --config FILE, --config=FILE and --exit-with-stdin', () => {
    expect(parseDeviceArgv(['--config', '/c.json'])).toEqual({ config: '/c.json', exitWithStdin: false });
    expect(parseDeviceArgv(['--exit-with-stdin', '--config=/c.json'])).toEqual({ config: '/c.json', exitWithStdin: true });
    expect(parseDeviceArgv(['-h'])).toBe('help');
  });

  it.each([[[]], [['--config']], [['--config', '--exit-with-stdin']], [['--config', '/c.json', '--verbose']], [['device', '--config', '/c.json']]])(
    'rejects %p with E_USAGE',
    (argv) => {
      expect(() => parseDeviceArgv(argv)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    },
  );
});

describe('deviceMain', () => {
  const capture = (): { stream: PassThrough; text: () => string } => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    return { stream, text: () => text };
  };

  it('exits 2 with the code, the reason and the usage on a usage error', async () => {
    const err = capture();
    await expect(deviceMain(['--bogus'], err.stream)).resolves.toBe(2);
    expect(err.text()).toContain('wearnet-device: E_USAGE: unknown argument "--bogus"');
    expect(err.text()).toContain('usage: wearnet-device --config FILE');
  });

  it('exits 1 with E_CONFIG_INVALID when the config cannot be read', async () => {
    const err = capture();
    await expect(deviceMain(['--config', '/nonexistent/wearnet-device.json'], err.stream)).resolves.toBe(1);
    expect(err.text()).toContain('wearnet-device: E_CONFIG_INVALID: cannot read role config /nonexistent/wearnet-device.json');
  });
});
