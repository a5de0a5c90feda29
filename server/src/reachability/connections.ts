/**
 * Sets of connections: per protocol (TCP, UDP, SCTP, the three a NetworkPolicy names), a sorted list
 * of disjoint port ranges within 1-65535. Immutable values with the set operations the reachability
 * engine needs, and the notation of `roxctl netpol connectivity map` / netpol-analyzer:
 * `All Connections`, or protocols in alphabetical order each with merged ranges
 * (`TCP 10053-10054,UDP 10053`).
 */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** An inclusive port range. */
export type PortRange = readonly [number, number];

export function isProtocol(p: string): p is Protocol {
  return (PROTOCOLS as readonly string[]).includes(p);
}

function normalize(ranges: PortRange[]): PortRange[] {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersectRanges(x: readonly PortRange[], y: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i][0], y[j][0]);
    const b = Math.min(x[i][1], y[j][1]);
    if (a <= b) out.push([a, b]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

function subtractRanges(x: readonly PortRange[], y: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  for (const [a0, b] of x) {
    let a = a0;
    for (const [c, d] of y) {
      if (d < a || c > b) continue;
      if (c > a) out.push([a, c - 1]);
      a = Math.max(a, d + 1);
      if (a > b) break;
    }
    if (a <= b) out.push([a, b]);
  }
  return out;
}

export class ConnectionSet {
  private constructor(private readonly byProtocol: ReadonlyMap<Protocol, readonly PortRange[]>) {}

  static readonly NONE = new ConnectionSet(new Map());
  static readonly ALL = new ConnectionSet(new Map(PROTOCOLS.map((p) => [p, [[MIN_PORT, MAX_PORT] as PortRange]])));

  /** Ports `from`..`to` (clamped to 1-65535) of one protocol. */
  static ports(protocol: Protocol, from: number = MIN_PORT, to: number = from): ConnectionSet {
    const a = Math.max(MIN_PORT, from);
    const b = Math.min(MAX_PORT, to);
    if (!(a <= b)) return ConnectionSet.NONE;
    return new ConnectionSet(new Map([[protocol, [[a, b] as PortRange]]]));
  }

  static allOf(protocol: Protocol): ConnectionSet {
    return ConnectionSet.ports(protocol, MIN_PORT, MAX_PORT);
  }

  private static build(entries: Iterable<[Protocol, PortRange[]]>): ConnectionSet {
    const map = new Map<Protocol, PortRange[]>();
    for (const [p, ranges] of entries) if (ranges.length) map.set(p, ranges);
    return new ConnectionSet(map);
  }

  ranges(protocol: Protocol): readonly PortRange[] {
    return this.byProtocol.get(protocol) ?? [];
  }

  get isEmpty(): boolean {
    return this.byProtocol.size === 0;
  }

  get isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.ranges(p);
      return r.length === 1 && r[0][0] === MIN_PORT && r[0][1] === MAX_PORT;
    });
  }

  /** Whether every connection of `other` is in this set, without allocating (the analysis asks it millions of times). */
  covers(other: ConnectionSet): boolean {
    if (this === other || other.isEmpty || this === ConnectionSet.ALL) return true;
    for (const [p, ranges] of other.byProtocol) {
      const mine = this.ranges(p);
      let i = 0;
      for (const [a, b] of ranges) {
        while (i < mine.length && mine[i][1] < a) i++;
        if (i >= mine.length || mine[i][0] > a || mine[i][1] < b) return false;
      }
    }
    return true;
  }

  union(other: ConnectionSet): ConnectionSet {
    if (this === ConnectionSet.ALL || other === ConnectionSet.ALL) return ConnectionSet.ALL;
    if (this.covers(other)) return this;
    if (other.covers(this)) return other;
    return ConnectionSet.build(PROTOCOLS.map((p) => [p, normalize([...this.ranges(p), ...other.ranges(p)])]));
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isEmpty) return ConnectionSet.NONE;
    if (this.covers(other)) return other;
    if (other.covers(this)) return this;
    return ConnectionSet.build(PROTOCOLS.map((p) => [p, intersectRanges(this.ranges(p), other.ranges(p))]));
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isEmpty) return this;
    return ConnectionSet.build(PROTOCOLS.map((p) => [p, subtractRanges(this.ranges(p), other.ranges(p))]));
  }

  equals(other: ConnectionSet): boolean {
    if (this === other) return true;
    if (this.byProtocol.size !== other.byProtocol.size) return false;
    return PROTOCOLS.every((p) => {
      const a = this.ranges(p);
      const b = other.ranges(p);
      return a.length === b.length && a.every((r, i) => r[0] === b[i][0] && r[1] === b[i][1]);
    });
  }

  /** Whether every connection of `other` is in this set. */
  contains(other: ConnectionSet): boolean {
    return other.subtract(this).isEmpty;
  }

  /** `All Connections`, `No Connections`, or `SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`. */
  toString(): string {
    if (this.isAll) return 'All Connections';
    if (this.isEmpty) return 'No Connections';
    return PROTOCOLS.filter((p) => this.ranges(p).length)
      .map(
        (p) =>
          `${p} ${this.ranges(p)
            .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
            .join(',')}`,
      )
      .join(',');
  }

  /** For JSON output and generated policies: `[{protocol, port, endPort?}]`. */
  toPortList(): { protocol: Protocol; port: number; endPort?: number }[] {
    return PROTOCOLS.flatMap((p) => this.ranges(p).map(([a, b]) => (a === b ? { protocol: p, port: a } : { protocol: p, port: a, endPort: b })));
  }
}
