/// <reference lib="webworker" />
/**
 * The bench:scale worker (the page's `?suite=scale`): the scaling grid on Wiregrad and TensorFlow.js,
 * all in this one Worker on one adapter. Posts progress lines, then a report whose text is JSON:
 * { report: the printed report, svg: the plot }.
 */
import { scaleChartSvg } from '../scale/chart';
import { parseScaleOptions } from '../scale/options';
import { formatScaleReport } from '../scale/report';
import { runScale } from '../scale/run';
import { post, workerBenchEnv } from './workerEnv';

addEventListener(
  'message',
  (e: MessageEvent<Record<string, string>>) => {
    const query = e.data;
    (async () => {
      const result = await runScale(
        await workerBenchEnv(),
        parseScaleOptions((name) => query[name]),
      );
      post({ kind: 'report', text: JSON.stringify({ report: formatScaleReport(result), svg: scaleChartSvg(result) }) });
    })().catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
  },
  { once: true },
);
