import { ConfigurationError } from '../errors';

export interface ReadinessHooks {
  /** The check failed in a way that may pass (the store is down or does not answer); it runs again in `retryInMs`. */
  retrying(error: unknown, retryInMs: number, failures: number): void;
  /** The check passed, after `failures` failed tries. */
  usable(failures: number): void;
  /** The configuration was refused: it stays refused. */
  refused(error: ConfigurationError): void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * Whether the store can be used yet. Its start-up check runs until it passes: a transient failure
 * (Redis not up yet, or not answering) is retried with capped exponential back-off (100 ms doubling
 * to 5 s), so the step opens by itself once the store is back. Only a refused configuration (a
 * ConfigurationError) stays refused: that is for the operator to fix.
 */
export class Readiness {
  /** Resolves once the check passed; rejects only when the configuration was refused. */
  readonly ready: Promise<void>;
  private status: 'checking' | 'waiting' | 'usable' | 'refused' | 'closed' = 'checking';
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(
    private readonly check: () => Promise<unknown>,
    private readonly hooks: ReadinessHooks,
  ) {
    this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.run();
  }

  /** Known usable: no waiting at all. */
  get usable(): boolean {
    return this.status === 'usable';
  }

  /**
   * Usable now, or once the check in flight passes (the check is bounded by the store timeout);
   * false at once while waiting for the next try, when refused, or after close().
   */
  async isReady(): Promise<boolean> {
    await this.inFlight;
    return this.status === 'usable';
  }

  /** Stops the retries. */
  close(): void {
    this.status = 'closed';
    clearTimeout(this.timer);
  }

  private run(): void {
    this.status = 'checking';
    const attempt = this.check().then(
      () => {
        if (this.status === 'closed') return;
        this.status = 'usable';
        this.settle.resolve();
        this.hooks.usable(this.failures);
      },
      (error: unknown) => {
        if (this.status === 'closed') return;
        if (error instanceof ConfigurationError) {
          this.status = 'refused';
          this.settle.reject(error);
          this.hooks.refused(error);
          return;
        }
        this.failures += 1;
        const retryInMs = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
        this.status = 'waiting';
        this.timer = setTimeout(() => this.run(), retryInMs);
        this.timer.unref();
        this.hooks.retrying(error, retryInMs, this.failures);
      },
    );
    this.inFlight = attempt;
    void attempt.then(() => {
      if (this.inFlight === attempt) this.inFlight = undefined;
    });
  }
}
