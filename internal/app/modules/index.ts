import type { ModuleName } from '../../../adapters/shared/store.js';
import type { DataModule } from '../../../adapters/shared/transfer.js';
import { blogs } from './blogs.js';
import { follows } from './follows.js';
import { listings } from './listings.js';
import { posts } from './posts.js';
import { timelines } from './timelines.js';
import { users } from './users.js';

/** Every module of the service, in the order their routes register. A new module is one line here. */
export const APP_MODULES = [users, follows, posts, timelines, blogs, listings] as const;

/** The modules' names: the `STORAGE_<MODULE>` variables config reads. */
export const MODULE_NAMES: readonly ModuleName[] = APP_MODULES.map((m) => m.name);

// Every port in `ModulePorts` has its module here (a compile error names the one missing).
type Missing = Exclude<ModuleName, (typeof APP_MODULES)[number]['name']>;
export const EVERY_PORT_HAS_A_MODULE: [Missing] extends [never] ? true : { missing: Missing } = true;

/** The modules whose records `npm run transfer`, export and import move (timelines are rebuilt, not moved). */
export const DATA_MODULES: readonly DataModule[] = MODULE_NAMES.filter((m): m is DataModule => m !== 'timelines');
