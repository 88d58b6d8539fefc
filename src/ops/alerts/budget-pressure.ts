/**
 * How hard each vendor lane is pressed, per integration, minute by minute (in this process): the
 * share of the lane's per-minute limit used, and the 429s the vendor answered. A lane whose every
 * minute for a while was at its limit (≥ 90 % used, or refused with 429) is "exhausted": syncs are
 * slowed by the vendor's budget and anything else using the same credentials is starved.
 */
export interface LaneKey {
  integrationId: string;
  system: string;
  lane: string;
}

interface LaneState extends LaneKey {
  perMinute: number;
  /** minute (epoch ms / 60 000) → requests started, 429s */
  minutes: Map<number, { requests: number; throttled: number }>;
}

export interface ExhaustedLane extends LaneKey {
  since: Date;
  minutes: number;
  throttled: number;
  perMinute: number;
}

const SATURATED = 0.9;
const KEEP_MINUTES = 24 * 60;

export class BudgetPressure {
  private readonly lanes = new Map<string, LaneState>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  private state(k: LaneKey, perMinute: number): LaneState {
    const id = `${k.integrationId}|${k.system}|${k.lane}`;
    let s = this.lanes.get(id);
    if (!s) {
      s = { ...k, perMinute, minutes: new Map() };
      this.lanes.set(id, s);
    }
    s.perMinute = perMinute || s.perMinute;
    return s;
  }

  private bucket(s: LaneState, at: Date) {
    const m = Math.floor(at.getTime() / 60_000);
    let b = s.minutes.get(m);
    if (!b) {
      b = { requests: 0, throttled: 0 };
      s.minutes.set(m, b);
      for (const old of s.minutes.keys()) if (old < m - KEEP_MINUTES) s.minutes.delete(old);
    }
    return b;
  }

  /** a request started on the lane */
  started(k: LaneKey, perMinute: number, at = this.clock()): void {
    this.bucket(this.state(k, perMinute), at).requests++;
  }

  /** the vendor answered 429 on the lane */
  throttled(k: LaneKey, at = this.clock()): void {
    const s = this.state(k, 0);
    this.bucket(s, at).throttled++;
  }

  /** share of the limit used over the last full minute and the current one (for the gauge) */
  utilization(): { key: LaneKey; ratio: number }[] {
    const m = Math.floor(this.clock().getTime() / 60_000);
    return [...this.lanes.values()].map((s) => {
      const b = s.minutes.get(m);
      const prev = s.minutes.get(m - 1);
      const used = Math.max(b?.requests ?? 0, prev?.requests ?? 0);
      return {
        key: { integrationId: s.integrationId, system: s.system, lane: s.lane },
        ratio: s.perMinute > 0 ? used / s.perMinute : 0,
      };
    });
  }

  /** lanes at their limit in every one of the last `minutes` full minutes */
  exhausted(minutes: number, now = this.clock()): ExhaustedLane[] {
    const current = Math.floor(now.getTime() / 60_000);
    const out: ExhaustedLane[] = [];
    for (const s of this.lanes.values()) {
      const hot = (m: number) => {
        const b = s.minutes.get(m);
        return !!b && (b.throttled > 0 || (s.perMinute > 0 && b.requests >= SATURATED * s.perMinute));
      };
      let n = 0;
      let throttled = 0;
      for (let m = current - 1; hot(m); m--) {
        n++;
        throttled += s.minutes.get(m)!.throttled;
      }
      if (n >= minutes) {
        out.push({
          integrationId: s.integrationId,
          system: s.system,
          lane: s.lane,
          since: new Date((current - n) * 60_000),
          minutes: n,
          throttled,
          perMinute: s.perMinute,
        });
      }
    }
    return out;
  }

  /** true when the lane was not at its limit in the last full minute */
  relieved(k: LaneKey, now = this.clock()): boolean {
    return !this.exhausted(1, now).some(
      (l) => l.integrationId === k.integrationId && l.system === k.system && l.lane === k.lane,
    );
  }
}
