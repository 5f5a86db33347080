import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client a per-IP limit counts, from a client address (Express's `req.ip`): an IPv4 address as
 * itself, also when written IPv4-mapped (`::ffff:192.0.2.7`, as a dual-stack server reports it); an
 * IPv6 address by its /64, written `2001:db8:1:2::/64`, because one customer gets at least a /64
 * and can use any address in it. Anything else (a forwarded header that is not an address) is
 * returned as given.
 */
export function clientNetwork(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return groups
      .slice(6)
      .flatMap((group) => [group >> 8, group & 0xff])
      .join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address: zone dropped, `::` expanded, a dotted IPv4 tail as two groups. */
function ipv6Groups(address: string): number[] | undefined {
  const text = address.split('%')[0] ?? '';
  if (!isIPv6(text)) return undefined;
  let head = text;
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    head = text.slice(0, dotted.index);
    // "1:2:3:4:5:6:" loses its separator; a "::" before the IPv4 part stays.
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const hex = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [left, right] = head.split('::') as [string, string | undefined];
  const groups =
    right === undefined
      ? [...hex(left), ...tail]
      : [...hex(left), ...new Array<number>(8 - hex(left).length - hex(right).length - tail.length).fill(0), ...hex(right), ...tail];
  return groups.length === 8 ? groups : undefined;
}
