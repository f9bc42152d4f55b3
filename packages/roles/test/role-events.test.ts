import { formatRoleCommand, formatRoleEvent, parseRoleCommand, parseRoleEvent } from '../src/index';

describe('role events', () => {
  it('round-trips an event through one stdout line', () => {
    const line = formatRoleEvent({ event: 'ready', role: 'medium', pid: 1, port: 4242 });
    expect(line.endsWith('\n')).toBe(true);
    expect(parseRoleEvent(line.trim())).toEqual({ event: 'ready', role: 'medium', pid: 1, port: 4242 });
  });

  it('ignores lines that are not events', () => {
    expect(parseRoleEvent('hello')).toBeUndefined();
    expect(parseRoleEvent('{"level":30}')).toBeUndefined();
    expect(parseRoleEvent('{broken')).toBeUndefined();
  });

  it('round-trips commands through one stdin line and ignores malformed ones', () => {
    for (const command of [{ command: 'connect' as const }, { command: 'slow' as const, factor: 4 }, { command: 'allow' as const, upTo: 12 }]) {
      expect(parseRoleCommand(formatRoleCommand(command).trim())).toEqual(command);
    }
    expect(parseRoleCommand('{"command":"slow","factor":0.5}')).toBeUndefined();
    expect(parseRoleCommand('{"command":"allow","upTo":-1}')).toBeUndefined();
    expect(parseRoleCommand('{"command":"explode"}')).toBeUndefined();
    expect(parseRoleCommand('connect')).toBeUndefined();
  });
});
