// Control: the Redis entry's types need ioredis, which this project lacks, so this must not compile.
import { RedisStore } from 'express-device-2fa/redis';

export const Store = RedisStore;
