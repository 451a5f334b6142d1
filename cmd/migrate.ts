import { ConfigError, loadConfig } from '../internal/app/config.js';
import { closeStores, openStores } from '../internal/app/stores.js';

try {
  const config = loadConfig({ ...process.env, AUTO_MIGRATE: 'true' });
  const stores = await openStores(config, (store, names) => console.log(`${store}: applied ${names.join(', ')}`));
  console.log(`schema up to date in ${[...stores.keys()].join(', ')}`);
  await closeStores(stores);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`agora: ${err.message}`);
  process.exit(1);
}
