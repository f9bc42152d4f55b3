import type { TopLevelSpec } from 'vega-lite';
import { array, nonNegative, uniqueNames } from './check-input';
import { CHART_CONFIG, CHART_HEIGHT, VEGA_LITE_SCHEMA } from './chart-config';

/** Input of {@link energyChart}. */
export interface EnergyInput {
  /** One panel per group (a method or a run), left to right. */
  groups: {
    name: string;
    /** Devices in axis order with their modelled energy per inference, nJ. */
    devices: { id: string; radioNj: number; computeNj: number }[];
  }[];
  title?: string;
}

/** Legend labels of the two components. */
export const RADIO = 'radio (link nJ/bit)';
export const COMPUTE = 'compute (device class)';

/**
 * Modelled energy per inference per device in µJ, stacked radio + compute, one panel per group
 * (side by side when there are several).
 * @throws TypeError / RangeError naming the offending input field.
 */
export function energyChart(input: EnergyInput): TopLevelSpec {
  const groups = array(input?.groups, 'groups');
  uniqueNames(
    groups.map((g) => g.name),
    'groups',
  );
  const deviceOrder: string[] = [];
  const values = groups.flatMap((g, i) =>
    array(g.devices, `groups[${i}].devices`).flatMap((d, j) => {
      if (typeof d.id !== 'string' || d.id === '') throw new TypeError(`groups[${i}].devices[${j}].id must be a non-empty string`);
      if (!deviceOrder.includes(d.id)) deviceOrder.push(d.id);
      return [
        { group: g.name, device: d.id, component: RADIO, energyUj: nonNegative(d.radioNj, `groups[${i}].devices[${j}].radioNj`) / 1000 },
        { group: g.name, device: d.id, component: COMPUTE, energyUj: nonNegative(d.computeNj, `groups[${i}].devices[${j}].computeNj`) / 1000 },
      ];
    }),
  );
  const several = groups.length > 1;
  const width = several ? Math.max(120, Math.min(260, 34 * deviceOrder.length)) : Math.max(200, Math.min(520, 60 * deviceOrder.length));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: input.title ?? 'Modelled energy per inference per device',
    width,
    height: several ? 220 : CHART_HEIGHT,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'device', type: 'nominal', title: 'device', sort: deviceOrder, axis: { labelAngle: -40 } },
      y: { field: 'energyUj', type: 'quantitative', title: 'energy per inference (µJ)', stack: 'zero' },
      color: { field: 'component', type: 'nominal', title: 'energy', scale: { domain: [RADIO, COMPUTE], range: ['#72b7b2', '#b279a2'] } },
      order: { field: 'component', sort: 'descending' },
      ...(several ? { column: { field: 'group', type: 'nominal', title: null, sort: groups.map((g) => g.name), header: { labelFontSize: 12 } } } : {}),
    },
  };
}
