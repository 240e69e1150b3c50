/** A chart's data as every chart and its downloads see it: series of points, each with its step and raw value. */

/** One point: x, the smoothed value shown, the raw value, and its step for the readout. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly raw: number;
  readonly step: number;
}

export interface ChartSeries {
  readonly id: string;
  /** Run name and split, for the readout: "Run 2 · validation". */
  readonly label: string;
  readonly colour: string;
  /** Validation curves are dashed with dots. */
  readonly dashed?: boolean;
  /** Drawn only as the edge of a band (Chart's `bands`), not as a line; still in the readout and the downloads. */
  readonly edge?: boolean;
  readonly points: readonly ChartPoint[];
}
