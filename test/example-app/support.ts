import type request from 'supertest';
import type { createExampleApp } from '../../example-app/app';

/** The example app's secrets in tests (its own development secret is refused outside development). */
export const SECRETS = {
  TWO_FACTOR_SECRET: 'example-app-test-secret-of-more-than-32-chars',
  SESSION_SECRET: 'example-app-test-session-secret',
};
export const HTML = { Accept: 'text/html' };

export type Agent = ReturnType<typeof request.agent>;
export type ExampleApp = Awaited<ReturnType<typeof createExampleApp>>;
