/** `express-device-2fa/redis`: the Redis store. Needs the optional peer "ioredis". */
export { RedisStore, type RedisStoreOptions } from './stores/redis-store';
