/**
 * A bounded loopback load test: `total` predict requests from `concurrency` clients over keep-alive
 * connections, each answer checked against its expected prediction; latencies, throughput, errors.
 */
import http from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-200 answers, failed connections and answers that are not the expected prediction. */
  readonly errors: number;
  /** True when the time cap ended the cell before `total` requests. */
  readonly capped: boolean;
}

export interface LoadCase {
  /** JSON request bodies, cycled through. */
  readonly bodies: readonly string[];
  /** For body k, checks the parsed answer; false counts as an error. */
  readonly check: (k: number, answer: unknown) => boolean;
}

function post(agent: http.Agent, url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

export async function runLoad(endpoint: string, c: LoadCase, total: number, concurrency: number, maxSeconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(endpoint);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  const client = async () => {
    while (next < total && performance.now() < deadline) {
      const k = next++ % c.bodies.length;
      const t0 = performance.now();
      try {
        const r = await post(agent, url, c.bodies[k]!);
        latencies.push(performance.now() - t0);
        if (r.status !== 200 || !c.check(k, JSON.parse(r.text))) errors++;
      } catch {
        latencies.push(performance.now() - t0);
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    concurrency,
    rps: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    errors,
    capped: latencies.length < total,
  };
}
