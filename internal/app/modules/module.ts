import 'reflect-metadata';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { ModuleName, ModulePorts, Store } from '../../../adapters/shared/store.js';
import type { Config } from '../config.js';

/** What the composition root gives a module as it registers. */
export interface ModuleContext {
  config: Config;
  /** The store holding `module` (for a store's native path across two modules it holds). */
  storeOf(module: ModuleName): Store;
  /** Wraps a port so its calls are measured under `label` (identity when metrics are off). */
  timed<R extends object>(module: ModuleName, port: R, label: string): R;
}

/** How a module makes each use case its routes call, from the container. */
export type UseCaseFactories = Record<string, (c: DependencyContainer) => object>;

/** The use cases a module's routes receive. */
export type UseCasesOf<F extends UseCaseFactories> = { [K in keyof F]: ReturnType<F[K]> };

/**
 * One module as a unit: its name (the key of its port in `ModulePorts`, and `STORAGE_<NAME>`),
 * the services it adds to the container for other modules and the shell (the composition root
 * registers its port from the configured store), its use cases, and its routes, which receive
 * only those. Modules depend on each other through the container only (`portOf`, services).
 */
export interface ModuleDefinition<N extends ModuleName, F extends UseCaseFactories> {
  readonly name: N;
  register?(c: DependencyContainer, context: ModuleContext): void;
  readonly useCases: F;
  readonly routes: FastifyPluginAsyncTypebox<{ uc: UseCasesOf<F>; config: Config }>;
}

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** A module as the composition root and the HTTP shell use it. */
export interface AppModule<N extends ModuleName = ModuleName> {
  readonly name: N;
  register(c: DependencyContainer, context: ModuleContext): void;
  /** Registers its routes, handing them its use cases made from `c`. */
  mount(app: App, c: DependencyContainer, config: Config): Promise<void>;
}

export function defineModule<const N extends ModuleName, F extends UseCaseFactories>(module: ModuleDefinition<N, F>): AppModule<N> {
  return {
    name: module.name,
    register: (c, context) => module.register?.(c, context),
    async mount(app, c, config) {
      const uc = Object.fromEntries(Object.entries(module.useCases).map(([name, make]) => [name, make(c)])) as UseCasesOf<F>;
      await app.register(module.routes, { uc, config });
    },
  };
}

const PORT_TOKENS = new Map<ModuleName, symbol>();

/** The container token of a module's port. */
export function portToken(module: ModuleName): symbol {
  let token = PORT_TOKENS.get(module);
  if (!token) PORT_TOKENS.set(module, (token = Symbol(`port:${module}`)));
  return token;
}

/** A module's port, as the container holds it. */
export function portOf<M extends ModuleName>(c: DependencyContainer, module: M): ModulePorts[M] {
  return c.resolve<ModulePorts[M]>(portToken(module));
}

/** One instance per container, made on first use. */
export function single<R>(make: (c: DependencyContainer) => R) {
  return { useFactory: instanceCachingFactory(make) };
}
