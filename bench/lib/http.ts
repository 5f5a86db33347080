import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the bench describes it (also what autocannon is given). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface BenchResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

// Enough sockets for the concurrent sign-in loops (bench/lib/sign-ins.ts).
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one request and reads the whole answer (so the server has finished with Redis by then). */
export function send(baseUrl: string, req: BenchRequest): Promise<BenchResponse> {
  const url = new URL(req.path, baseUrl);
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

/** A minimal cookie jar: name → value, from Set-Cookie headers (no domain/path logic: one site). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  update(res: BenchResponse): this {
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  /** The Cookie header for the named cookies (all when none are named). */
  header(...names: string[]): string {
    return [...this.cookies]
      .filter(([name]) => names.length === 0 || names.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

/** The CSRF token of a page rendered by the library. */
export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No _csrf field on the page:\n${html.slice(0, 500)}`);
  return token;
}
