import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far the V8 heap may grow past its live size before the next full collection
 * (HEAP_GROWTH_PERCENT). V8's own rule lets a heap with 50 MB live reach about 200 MB first: a
 * catalogue sync, whose batches survive long enough to be promoted, then peaked above 300 MB RSS
 * with 60 MB of live data; at 50 % it stays under 200 MB at the same speed. No hard heap limit is
 * set, so a task that really needs the memory still gets it.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
