// Why an instance behind an open or half-open breaker can show a high weight (issue 14: half-open,
// no traffic, effective weight 97). The weight is load-aware only: the product spec's weight is a
// function of CPU, P95 and connections (clamped to [0, base]), and the breaker is a machine of its
// own that the weight does not read. An idle instance has nothing taking points off its weight.

const LOAD_ONLY = 'The weight is load-aware only (CPU, P95, connections); the breaker does not change it.';

export function breakerWeightNote(breaker: string | null | undefined, rps: number | null | undefined): string | null {
  if (breaker === 'open') return `Breaker open. ${LOAD_ONLY}`;
  if (breaker !== 'half-open') return null;
  if (!rps) {
    return `Breaker half-open, waiting for probe requests: none reached this instance in the latest tick. It closes after good probe ticks, so without traffic it stays half-open. With no load, nothing takes points off the weight, so it stays high: it is load-aware only (CPU, P95, connections) and the breaker does not change it.`;
  }
  return `Breaker half-open: the requests it gets now are its probes; good ones close it, a failure re-opens it. ${LOAD_ONLY}`;
}
