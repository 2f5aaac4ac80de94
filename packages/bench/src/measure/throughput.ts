// Requests per second under a fixed load: autocannon (keep-alive, HTTP/1.1, fixed connections) for a
// warm-up, then for the measured window. Every answer is checked: anything but the expected one is
// counted and reported, so a benchmark of errors cannot pass for a fast one.
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  warmUpSeconds: number;
  seconds: number;
  headers: Record<string, string>;
  /** The next request body (called once per request). */
  body: () => string;
  /** Whether an answer is the one this measurement is about. */
  expected: (status: number, body: string) => boolean;
}

export interface Throughput {
  perSecond: number;
  total: number;
  unexpected: number;
  /** One unexpected answer, to show what went wrong. */
  sample?: string;
}

async function run(options: LoadOptions, seconds: number): Promise<Throughput> {
  let unexpected = 0;
  let sample: string | undefined;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    method: "POST",
    headers: options.headers,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: options.body() }),
        onResponse: (status, body) => {
          if (options.expected(status, body)) return;
          unexpected++;
          sample ??= `${status} ${body.slice(0, 200)}`;
        },
      },
    ],
  });
  unexpected += result.errors + result.timeouts;
  const total = result.requests.total;
  return { perSecond: total / (result.duration || seconds), total, unexpected, sample };
}

export async function measureThroughput(options: LoadOptions): Promise<Throughput> {
  if (options.warmUpSeconds > 0) await run(options, options.warmUpSeconds);
  return run(options, options.seconds);
}
