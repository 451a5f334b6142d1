import 'reflect-metadata';
import { container as root, type DependencyContainer } from 'tsyringe';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { UuidV7IdGenerator } from '../../adapters/system/uuid-v7-id-generator.js';
import type { Clock } from '../domain/shared/clock.js';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { instrument, type Metrics } from './http/metrics.js';
import { APP_MODULES } from './modules/index.js';
import { portToken, single, type ModuleContext } from './modules/module.js';
import { modulePort, type Stores } from './stores.js';
import { TOKENS as T } from './tokens.js';

export interface Overrides {
  clock?: Clock;
  metrics?: Metrics;
  /** The app's logger; silent when left out. */
  log?: Logger;
}

/**
 * The one composition root: what every module shares, then each module's port from the store
 * its module is configured for (measured when metrics are on), then each module's own services
 * and use cases (`APP_MODULES`).
 */
export function buildContainer(config: Config, stores: Stores, overrides: Overrides = {}): DependencyContainer {
  const c = root.createChildContainer();
  const context: ModuleContext = {
    config,
    storeOf: (module) => stores.get(config.storage[module])!,
    timed: (module, port, label) => (overrides.metrics ? instrument(port, config.storage[module], label, overrides.metrics) : port),
  };
  c.register(T.config, { useValue: config });
  c.register(T.clock, { useValue: overrides.clock ?? new SystemClock() });
  c.register(T.ids, { useValue: new UuidV7IdGenerator() });
  c.register(T.log, { useValue: overrides.log ?? pino({ level: 'silent' }) });
  for (const module of APP_MODULES) {
    c.register(portToken(module.name), single(() => context.timed(module.name, modulePort(stores, config, module.name), module.name)));
    module.register(c, context);
  }
  return c;
}
