import { BlockList } from 'node:net';
import fc from 'fast-check';
import { clientNetwork } from '../../src/core/client-network';

describe('clientNetwork', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:0207', '192.0.2.7'],
    ['0:0:0:0:0:ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:1::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['1:2:3:4:5:6:192.0.2.7', '1:2:3:4::/64'],
  ])('%s → %s', (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });

  test.each(['', 'unknown', '2001:db8::1::2', '1.2.3', '::ffff:1.2.3.256'])('%j (not an IP address) is kept as given', (text) => {
    expect(clientNetwork(text)).toBe(text);
  });

  /** Whether `b` lies in the /64 of `a`, by node's own IPv6 parser. */
  function sameSlash64(a: string, b: string): boolean {
    const list = new BlockList();
    list.addSubnet(clientNetwork(a).replace('/64', ''), 64, 'ipv6');
    return list.check(b, 'ipv6');
  }

  test('every IPv6 address lies in the /64 it is counted by (node:net BlockList as the oracle)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const network = clientNetwork(address);
        if (!network.endsWith('::/64')) return /^\d+\.\d+\.\d+\.\d+$/.test(network); // an IPv4-mapped address
        return sameSlash64(address, address);
      }),
      { numRuns: 2000 },
    );
  });

  test('two IPv6 addresses share a bucket exactly when they share their first 64 bits', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    const groups = fc.array(group, { minLength: 4, maxLength: 4 });
    const spell = fc.constantFrom('full', 'padded', 'compressed');
    fc.assert(
      fc.property(groups, groups, groups, spell, spell, fc.boolean(), (prefix, low1, low2, spelling1, spelling2, samePrefix) => {
        // Not IPv4-mapped (the first 80 bits zero and then ffff).
        fc.pre(!(prefix.every((g) => g === 0) && low1[0] === 0 && low1[1] === 0xffff));
        const otherPrefix = samePrefix ? prefix : [...prefix.slice(0, 3), ((prefix[3] ?? 0) + 1) & 0xffff];
        fc.pre(!(otherPrefix.every((g) => g === 0) && low2[0] === 0 && low2[1] === 0xffff));
        const a = write([...prefix, ...low1], spelling1);
        const b = write([...otherPrefix, ...low2], spelling2);
        expect(clientNetwork(a) === clientNetwork(b)).toBe(samePrefix);
        expect(sameSlash64(a, b)).toBe(samePrefix);
      }),
      { numRuns: 2000 },
    );
  });
});

/** An IPv6 address from its eight groups: in full, zero-padded, or with the longest zero run as `::`. */
function write(groups: number[], spelling: string): string {
  const hex = groups.map((g) => (spelling === 'padded' ? g.toString(16).padStart(4, '0') : g.toString(16)));
  if (spelling !== 'compressed') return hex.join(':');
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
  }
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
