import type { Logger } from '../types';

/**
 * The default logger: the console, one line per entry with its context as JSON, and the host's own
 * error (`err`) after it so the console prints its stack.
 */
export const consoleLogger: Logger = {
  warn: (context, message) => console.warn(...consoleLine(context, message)),
  error: (context, message) => console.error(...consoleLine(context, message)),
};

function consoleLine(context: Record<string, unknown>, message: string): unknown[] {
  const { err, ...fields } = context;
  const line = Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  return err === undefined ? [line] : [line, err];
}

/**
 * What may be logged of an error of the library's (a DeliveryError, a StoreUnavailableError): its
 * code, and its cause's code (`ECONNREFUSED`, `EAUTH`). Never the messages of a mail server or
 * Twilio, which may echo an address or a number.
 */
export function errorCodes(error: unknown): { code?: string; causeCode?: string } {
  const codeOf = (value: unknown): string | undefined => {
    const code = (value as { code?: unknown } | null | undefined)?.code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  };
  const code = codeOf(error);
  const causeCode = codeOf((error as { cause?: unknown } | null | undefined)?.cause);
  return { ...(code ? { code } : {}), ...(causeCode ? { causeCode } : {}) };
}
