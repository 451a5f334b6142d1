import { MultiBar, Presets } from 'cli-progress';
import type { ModuleName } from '../../adapters/shared/store.js';
import type { Progress } from './transfer.js';

/** One progress bar per module (rows, rows/s, ETA) on stderr; a line every 5 s where stderr is not a terminal. */
export function moduleProgress(): Progress & { stop(): void } {
  // Made at the first module with records: a run that stops before (a refused target) prints
  // nothing but its one error line.
  let bars: MultiBar | null = null;
  const create = () =>
    new MultiBar(
      {
        format: '{module} [{bar}] {percentage}% {value}/{total} | {rate}/s | ETA {eta_formatted}',
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        etaBuffer: 50,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
  const open = new Map<ModuleName, { bar: ReturnType<MultiBar['create']>; started: number }>();
  return {
    start(module, total) {
      if (total === 0) return; // nothing to show, nothing to wait for
      bars ??= create();
      open.set(module, { bar: bars.create(total, 0, { module: module.padEnd(8), rate: 0 }), started: Date.now() });
    },
    advance(module, done) {
      const entry = open.get(module);
      if (!entry) return;
      if (done > entry.bar.getTotal()) entry.bar.setTotal(done);
      entry.bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - entry.started) / 1000)) });
    },
    finish(module) {
      open.get(module)?.bar.stop();
    },
    stop() {
      bars?.stop();
    },
  };
}
