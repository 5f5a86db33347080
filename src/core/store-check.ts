import { ConfigurationError } from '../errors';
import { missingMethods } from './store';

/**
 * Checks, at start-up, that `store` and `durableStore` have every required method, and throws one
 * ConfigurationError naming each option and all it lacks (rather than a TypeError at some later
 * sign-in). The retired `settings` option is refused with the way to move to `durableStore`.
 */
export function checkStores(options: { store?: unknown; durableStore?: unknown; settings?: unknown }): void {
  if ('settings' in options) {
    const lacking = missingMethods(options.settings, 'durable');
    fail(
      '`settings` is now `durableStore`: rename the option. The durable store keeps all durable state (settings, ' +
        'recovery codes, credentials) in one adapter' +
        (lacking.length > 0 ? `, so yours must now also implement ${lacking.join(', ')}` : '') +
        '. See "Durable store" in the README; `durableStoreContract` checks an adapter from your own tests.',
    );
  }
  if (typeof options.store === 'function')
    fail('`store` must be a store instance: write `store: new RedisStore({ client })`, not `store: RedisStore`.');
  if (typeof options.durableStore === 'function') {
    fail(
      '`durableStore` must be a store instance (your adapter object, or `new RedisStore({ client })`), not a class or a factory: call it first.',
    );
  }
  const problems: string[] = [];
  const lacking = (part: 'ephemeral' | 'durable', candidate: unknown) => missingMethods(candidate, part).join(', ');
  if (options.store !== undefined) {
    const ephemeral = lacking('ephemeral', options.store);
    if (ephemeral) problems.push(`\`store\` must implement EphemeralStore (MemoryStore and RedisStore do); missing: ${ephemeral}.`);
    const durable = options.durableStore === undefined && lacking('durable', options.store);
    if (durable) {
      problems.push(
        `\`store\` also keeps the durable state, as no \`durableStore\` is given, so it must implement DurableStore too (or pass a \`durableStore\`); missing: ${durable}.`,
      );
    }
  }
  if (options.durableStore !== undefined) {
    const durable = lacking('durable', options.durableStore);
    if (durable) problems.push(`\`durableStore\` must implement DurableStore; missing: ${durable}.`);
  }
  if (problems.length > 0) fail(problems.join(' '));
}

function fail(message: string): never {
  throw new ConfigurationError(`express-device-2fa: ${message}`);
}

/** A durable store that silently drops a field the library wrote (a switch would claim what is not there). */
export function fieldNotKept(method: string, field: string): ConfigurationError {
  return new ConfigurationError(
    `express-device-2fa: your \`durableStore\`'s ${method} did not return the \`${field}\` it was given. Store the field and return it (see DurableStore).`,
    'ERR_2FA_ADAPTER_DROPPED_FIELD',
  );
}
