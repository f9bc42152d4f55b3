import { initRuntime, runtimeInfo } from '../src/index';

describe('initRuntime', () => {
  it('rejects an unknown WEARNET_BACKEND with E_OPTION_INVALID naming the variable', async () => {
    await expect(initRuntime({ env: { WEARNET_BACKEND: 'gpu' } })).rejects.toMatchObject({
      code: 'E_OPTION_INVALID',
      message: expect.stringContaining('WEARNET_BACKEND'),
    });
  });

  it('rejects WEARNET_REQUIRE_BACKEND=node with E_BACKEND_UNAVAILABLE when tfjs-node is not installed, instead of falling back', async () => {
    let native = true;
    try {
      require('@tensorflow/tfjs-node');
    } catch {
      native = false;
    }
    if (native) return; // a machine with the native backend: nothing to refuse
    await expect(initRuntime({ env: { WEARNET_REQUIRE_BACKEND: 'node' } })).rejects.toMatchObject({
      code: 'E_BACKEND_UNAVAILABLE',
      message: expect.stringContaining('WEARNET_REQUIRE_BACKEND=node'),
    });
  });

  it('rejects WEARNET_REQUIRE_BACKEND that contradicts WEARNET_BACKEND with E_OPTION_INVALID', async () => {
    await expect(initRuntime({ env: { WEARNET_REQUIRE_BACKEND: 'node', WEARNET_BACKEND: 'wasm' } })).rejects.toMatchObject({ code: 'E_OPTION_INVALID' });
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
