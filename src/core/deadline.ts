/**
 * `work`, unless it has not settled within `ms`: then the promise rejects with `timeoutError()`
 * (the work itself goes on; its late result is ignored). The timer never keeps the process alive.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
