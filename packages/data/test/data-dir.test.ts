import * as path from 'node:path';
import { DataError, resolveDataDir } from '@wearnet/data';

describe('resolveDataDir', () => {
  it('prefers the --data flag over WEARNET_DATA and returns an absolute path', () => {
    expect(resolveDataDir({ data: 'flag-dir', env: { WEARNET_DATA: '/env/dir' } })).toBe(path.resolve('flag-dir'));
  });

  it('falls back to WEARNET_DATA when no flag is given', () => {
    expect(resolveDataDir({ env: { WEARNET_DATA: '/env/dir' } })).toBe('/env/dir');
  });

  it('treats an empty flag or variable as absent', () => {
    expect(resolveDataDir({ data: '', env: { WEARNET_DATA: '/env/dir' } })).toBe('/env/dir');
    expect(() => resolveDataDir({ data: ' ', env: { WEARNET_DATA: '' } })).toThrow(DataError);
  });

  it('throws E_DATA_DIR_MISSING telling how to point at data or fetch it when neither is set', () => {
    let caught: unknown;
    try {
      resolveDataDir({ env: {} });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DataError);
    expect((caught as DataError).code).toBe('E_DATA_DIR_MISSING');
    expect((caught as DataError).message).toMatch(/--data/);
    expect((caught as DataError).message).toMatch(/WEARNET_DATA/);
    expect((caught as DataError).message).toMatch(/wearnet data fetch/);
  });
});
