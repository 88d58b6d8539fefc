/**
 * Two figures the CPU benches need to be read right on a shared machine:
 *
 * - the CPU an idle gateway spends per millisecond, measured in steady state: right after start
 *   the process still compiles and collects the start-up (≈ 110 ms CPU/s here for two seconds,
 *   25–40 ms/s afterwards), and subtracting that would flatter the run;
 * - the floor: the CPU a bare HTTP client (undici, the gateway's own client library, no gateway
 *   code) spends per request against a bare server in another process, at the same pace as the
 *   gateway's upstream requests in the run. Paced requests each wake the process from idle, which
 *   costs far more CPU than the same requests back to back (on this 2-core VM ≈ 1 ms at 50/s
 *   against ≈ 0.35 ms flat out). No gateway can spend less per upstream request than this floor.
 */
import { fork } from "node:child_process";
import http from "node:http";
import { Agent, request } from "undici";

/** CPU ms per wall ms of this process while nothing but its timers runs, after `warmupMs` */
export async function steadyIdleCpuPerMs(warmupMs = 2_000, measureMs = 3_000): Promise<number> {
  await new Promise((r) => setTimeout(r, warmupMs));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, measureMs));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (Number(process.hrtime.bigint() - t0) / 1e6);
}

/** the child: a bare JSON server */
function floorServer(): void {
  const body = JSON.stringify({ id: 1, name: "x".repeat(400), price: "12.50", active: true });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as { port: number }).port));
}

/**
 * CPU µs per request of a bare undici client sending `requests` JSON POSTs at `perSecond` (up to
 * `inFlight` at once, like a run with orders in flight), idle CPU over the same time taken off.
 */
export async function pacedRequestFloorUs(
  perSecond: number,
  requests = 300,
  inFlight = 1,
  idleCpuPerMs = 0,
): Promise<number> {
  const child = fork(__filename, ["floor-server"], { stdio: "inherit" });
  try {
    const port = await new Promise<number>((resolve) => child.once("message", (m) => resolve(m as number)));
    const agent = new Agent({ connections: 32 });
    const url = `http://127.0.0.1:${port}/floor`;
    const one = async () => {
      const r = await request(url, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sku: "A-1", quantity: 3 }),
      });
      JSON.parse(await r.body.text());
    };
    for (let i = 0; i < 100; i++) await one(); // warm-up
    const gapMs = 1000 / perSecond;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const start = performance.now();
    let next = 0;
    const lane = async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const due = start + i * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await one();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, inFlight) }, lane));
    const c = process.cpuUsage(c0);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    await agent.close();
    return (Math.max(0, (c.user + c.system) / 1000 - idleCpuPerMs * wallMs) * 1000) / requests;
  } finally {
    child.kill();
  }
}

if (process.argv[2] === "floor-server") floorServer();
