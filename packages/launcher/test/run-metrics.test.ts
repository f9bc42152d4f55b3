import { createRunMetrics, type ActiveFault } from '../src/run-metrics';

describe('createRunMetrics', () => {
  it('counts active faults by kind and target at each scrape and keeps a cleared pair at 0', async () => {
    let active: ActiveFault[] = [
      { kind: 'link-down', target: 'device-1' },
      { kind: 'link-down', target: 'device-1' },
      { kind: 'noise', target: 'medium' },
    ];
    const metrics = createRunMetrics({ activeFaults: () => active, processMetrics: false });
    let text = await metrics.registry.metrics();
    expect(text).toContain('wearnet_faults_active{kind="link-down",target="device-1"} 2');
    expect(text).toContain('wearnet_faults_active{kind="noise",target="medium"} 1');
    active = [{ kind: 'crash', target: 'device-0' }];
    text = await metrics.registry.metrics();
    expect(text).toContain('wearnet_faults_active{kind="link-down",target="device-1"} 0');
    expect(text).toContain('wearnet_faults_active{kind="noise",target="medium"} 0');
    expect(text).toContain('wearnet_faults_active{kind="crash",target="device-0"} 1');
  });

  it('holds one run-info series, replaced when it is set again', async () => {
    const metrics = createRunMetrics({ activeFaults: () => [] });
    metrics.setRunInfo({ topology: 'body-4', method: 'averaging', seed: 42, backend: '' });
    metrics.setRunInfo({ topology: 'body-4', method: 'averaging', seed: 42, backend: 'wasm' });
    const text = await metrics.registry.metrics();
    expect(text.match(/^wearnet_run_info\{/gm)).toHaveLength(1);
    expect(text).toContain('wearnet_run_info{topology="body-4",method="averaging",seed="42",backend="wasm"} 1');
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).not.toMatch(/^nodejs_active_handles_total /m);
  });
});
