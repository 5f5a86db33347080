/**
 * Servers a test file needs for all its tests: started before them (beforeAll), stopped after
 * (afterAll). Each returned object forwards to its running server, so a file can name them at its top.
 */
export function servicesForFile<T extends Record<string, object>>(
  keys: readonly (keyof T)[],
  start: () => Promise<T>,
  stop: (running: T) => Promise<unknown>,
): T {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(async () => {
    if (running) await stop(running);
  });
  const forward = (key: keyof T): object =>
    new Proxy(
      {},
      {
        get(_target, property) {
          if (!running) throw new Error('These servers start in beforeAll: use them inside a test or hook.');
          const server = running[key];
          const value: unknown = Reflect.get(server, property);
          return typeof value === 'function' ? value.bind(server) : value;
        },
      },
    );
  return Object.fromEntries(keys.map((key) => [key, forward(key)])) as T;
}
