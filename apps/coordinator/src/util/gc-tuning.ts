// V8 settings for a server process, applied once at start.
//
// V8 starts a full marking cycle early, from a task, once the old generation's free space is less than the
// young generation's capacity (a scavenge could promote that much). Under large values the young generation
// grows to its largest (2 × 16 MiB) while the old generation holds ~16 MiB against a limit of ~39 MiB, and stays
// there: a marking cycle then started ~15 ms after the previous one ended, and a standalone server taking 512 KiB
// setData one at a time ran a full collection every ~8 writes, each a 4–7 ms pause plus as much again in marking
// steps (--trace-gc, --trace-incremental-marking: "Start (task): v8: 15MB / 39MB / 24MB"). Whether a run falls into
// that state depends on timing, which made the large-value rows of the bench swing from run to run. Without the
// task, marking starts when the old generation reaches its limit, so only when it actually fills up: in the same
// runs no full collection at all, 512 KiB setData 1 × 1 +20–33 % ops/s with p99 −35 %, 100,000 creates +26 %
// (bench/RESULTS.md history). The memory reducer still collects an idle server.
import { setFlagsFromString } from 'node:v8';

export const V8_SERVER_FLAGS: readonly string[] = ['--no-incremental-marking-task'];

/** Applies V8_SERVER_FLAGS to this process (V8 reads them whenever it decides, so they apply from here on). */
export function tuneGarbageCollection(): readonly string[] {
  for (const flag of V8_SERVER_FLAGS) setFlagsFromString(flag);
  return V8_SERVER_FLAGS;
}
