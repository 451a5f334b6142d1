/** What every module may use. Ports go by `portToken(module)`; a module's own services by its own tokens. */
export const TOKENS = {
  config: Symbol('Config'),
  clock: Symbol('Clock'),
  ids: Symbol('IdGenerator'),
  /** The app's logger (pino): for work done outside a request. */
  log: Symbol('Logger'),
} as const;
