// `show stat` is CSV whose first line names the columns ("# pxname,svname,…"); columns are picked
// by name because their order and count change between HAProxy versions.
export interface StatRow {
  pxname: string;
  svname: string;
  /** Current sessions (connections) and queue. */
  scur: number;
  qcur: number;
  /** Sessions per second over the last second. */
  rate: number;
  /** Total sessions (servers) or HTTP requests (frontends/backends). */
  stot: number;
  reqTot: number;
  hrsp5xx: number;
  /** Averages over the last 1,024 requests, in ms. */
  rtime: number;
  qtime: number;
  ttime: number;
  weight: number;
  status: string;
  address: string;
}

const num = (v: string | undefined) => {
  const n = Number(v);
  return v === undefined || v === '' || !Number.isFinite(n) ? 0 : n;
};

export function parseStat(csv: string): StatRow[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0];
  if (!header?.startsWith('# ')) throw new Error(`unexpected "show stat" answer: ${csv.slice(0, 120)}`);
  const cols = header.slice(2).split(',');
  const at = (name: string) => cols.indexOf(name);
  const idx = {
    pxname: at('pxname'), svname: at('svname'), scur: at('scur'), qcur: at('qcur'), rate: at('rate'), stot: at('stot'), reqTot: at('req_tot'),
    hrsp5xx: at('hrsp_5xx'), rtime: at('rtime'), qtime: at('qtime'), ttime: at('ttime'), weight: at('weight'), status: at('status'), addr: at('addr'),
  };
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    const get = (i: number) => (i >= 0 ? f[i] : undefined);
    return {
      pxname: get(idx.pxname) ?? '',
      svname: get(idx.svname) ?? '',
      scur: num(get(idx.scur)),
      qcur: num(get(idx.qcur)),
      rate: num(get(idx.rate)),
      stot: num(get(idx.stot)),
      reqTot: num(get(idx.reqTot)),
      hrsp5xx: num(get(idx.hrsp5xx)),
      rtime: num(get(idx.rtime)),
      qtime: num(get(idx.qtime)),
      ttime: num(get(idx.ttime)),
      weight: num(get(idx.weight)),
      status: get(idx.status) ?? '',
      address: get(idx.addr) ?? '',
    };
  });
}

/** UP and DRAIN serve (drain only finishes what it has); DOWN, MAINT and NOLB do not. */
export const serving = (status: string) => /^(UP|DRAIN|no check)/.test(status);
