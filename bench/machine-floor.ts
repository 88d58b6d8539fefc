/**
 * What this machine charges for the things every gateway does, with no gateway code involved —
 * the evidence behind the CPU targets of the order and product benches:
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/machine-floor.js
 *
 * - a timer that wakes an idle process N times a second (the least a paced request costs);
 * - a bare undici JSON POST against a bare server in another process, paced at the rates the
 *   order and product runs send upstream requests, and flat out (cpu-floor.ts);
 * - the same with Node's own http client, to show the cost is the machine's, not undici's.
 *
 * CPU is process.cpuUsage (user + system, all threads) per wake or request, with the steady idle
 * taken off. Env: BENCH_REQUESTS (300 per figure).
 */
import http from "node:http";
import { fork } from "node:child_process";
import { pacedRequestFloorUs, steadyIdleCpuPerMs } from "./cpu-floor";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

async function timerWakeUs(perSecond: number, wakes: number): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < wakes; i++) await new Promise((r) => setTimeout(r, 1000 / perSecond));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / wakes;
}

async function nodeHttpUs(perSecond: number, requests: number, idleCpuPerMs: number): Promise<number> {
  const child = fork(require.resolve("./cpu-floor"), ["floor-server"], { stdio: "inherit" });
  try {
    const port = await new Promise<number>((resolve) => child.once("message", (m) => resolve(m as number)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const one = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port,
            path: "/floor",
            method: "POST",
            agent,
            headers: { "content-type": "application/json" },
          },
          (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (body += d));
            res.on("end", () => {
              JSON.parse(body);
              resolve();
            });
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ sku: "A-1", quantity: 3 }));
      });
    for (let i = 0; i < 100; i++) await one();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < requests; i++) {
      const wait = t0 + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await one();
    }
    const c = process.cpuUsage(c0);
    agent.destroy();
    return Math.max(0, c.user + c.system - idleCpuPerMs * (performance.now() - t0) * 1000) / requests;
  } finally {
    child.kill();
  }
}

async function main() {
  const idle = await steadyIdleCpuPerMs();
  console.log(`steady idle: ${(idle * 1000).toFixed(1)} ms CPU/s`);
  for (const rate of [5, 21, 100])
    console.log(
      `timer wake at ${rate}/s: ${(await timerWakeUs(rate, Math.min(200, rate * 10))).toFixed(0)} µs CPU per wake`,
    );
  // 21/s: the order run's pace at time factor 8; ~240/s the product run's at 50; 2000/s flat out
  for (const rate of [21, 100, 240, 2000]) {
    const undici = await pacedRequestFloorUs(rate, REQUESTS, 1, idle);
    const node = await nodeHttpUs(rate, REQUESTS, idle);
    console.log(
      `loopback JSON POST at ${String(rate).padStart(4)}/s: undici ${undici.toFixed(0).padStart(5)} µs, node:http ${node.toFixed(0).padStart(5)} µs CPU per request`,
    );
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
