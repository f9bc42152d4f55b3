import { CliError, toCliError } from '../src/errors';

describe('toCliError', () => {
  it("keeps a package error's code and the original in cause", () => {
    const original = Object.assign(new Error('no such topology'), { code: 'E_TOPOLOGY_NOT_FOUND' });
    const err = toCliError(original);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ code: 'E_TOPOLOGY_NOT_FOUND', message: 'no such topology', cause: original });
  });

  it('turns a RangeError or TypeError from an options resolver into E_OPTION_INVALID', () => {
    expect(toCliError(new RangeError('timeScale must be positive'))).toMatchObject({ code: 'E_OPTION_INVALID', message: 'timeScale must be positive' });
    expect(toCliError(new TypeError('token must be a non-empty string'))).toMatchObject({ code: 'E_OPTION_INVALID' });
  });

  it('turns anything else into E_INTERNAL and passes a CliError through', () => {
    expect(toCliError('boom')).toMatchObject({ code: 'E_INTERNAL', message: 'boom' });
    const cli = new CliError('E_PARTITION_MISMATCH', 'x');
    expect(toCliError(cli)).toBe(cli);
  });
});
