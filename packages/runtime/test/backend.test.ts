import { initRuntime, runtimeInfo } from '../src/index';

describe('initRuntime', () => {
  it('rejects an unknown WEARNET_BACKEND with E_OPTION_INVALID naming the variable', async () => {
    await expect(initRuntime({ env: { WEARNET_BACKEND: 'gpu' } })).rejects.toMatchObject({
      code: 'E_OPTION_INVALID',
      message: expect.stringContaining('WEARNET_BACKEND'),
    });
  });

  it('honours WEARNET_BACKEND=wasm and reports the backend it chose', async () => {
    const info = await initRuntime({ env: { WEARNET_BACKEND: 'wasm' } });
    expect(info).toMatchObject({ backend: 'wasm', tfBackend: 'wasm' });
    expect(runtimeInfo()).toBe(info);
  });

  it('fails with E_BACKEND_UNAVAILABLE when a forced backend cannot load', async () => {
    let nodeInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nodeInstalled = false;
    }
    if (nodeInstalled) return; // tfjs-node present: nothing to fail here
    await expect(initRuntime({ backend: 'node' })).rejects.toMatchObject({ code: 'E_BACKEND_UNAVAILABLE' });
  });
});
