import { maskDestination, maskEmail, maskPhone } from '../../src/core/mask';

describe('maskEmail', () => {
  it.each([
    ['alice@acme.test', 'a•••e@acme.test'],
    ['bob@example.com', 'b•••b@example.com'],
    ['al@acme.test', 'a•••@acme.test'],
    ['a@acme.test', 'a•••@acme.test'],
    ['@acme.test', '•••@acme.test'],
    ['  carol@acme.test ', 'c•••l@acme.test'],
    ['"odd@local"@acme.test', '"•••"@acme.test'],
    ['noatsign', 'n•••n'],
    ['', '•••'],
    ['😀abc😎@acme.test', '😀•••😎@acme.test'],
  ])('%s → %s', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it('never shows the middle of the local part', () => {
    expect(maskEmail('secretname@acme.test')).not.toContain('ecretnam');
  });
});

describe('maskPhone', () => {
  it.each([
    ['+15005550006', '•••• 0006'],
    ['+44 20 7946 0958', '•••• 0958'],
    ['(500) 555-0006', '•••• 0006'],
    ['1234567', '•••• 4567'],
    ['12345', '•••• 45'],
    ['1234', '•••• 34'],
    ['123', '••••'],
    ['', '••••'],
    ['not a number', '••••'],
  ])('%s → %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskDestination', () => {
  it('masks by method', () => {
    expect(maskDestination('email', 'alice@acme.test')).toBe('a•••e@acme.test');
    expect(maskDestination('sms', '+15005550006')).toBe('•••• 0006');
    expect(maskDestination('voice', '+15005550006')).toBe('•••• 0006');
  });
});
