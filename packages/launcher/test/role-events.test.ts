import { formatRoleEvent, parseRoleEvent } from '../src/index';

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
});
