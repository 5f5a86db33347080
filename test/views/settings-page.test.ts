import { formatDate } from '../../src/views/format';
import { EN } from '../helpers/words';
import { renderSettingsPage, type DeviceView, type SettingsPageModel } from '../../src/views/settings-page';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { channelChoices, EVIL, EVIL_ESCAPED, expectSafePage, forms, only, tags, visibleText, withoutStyle } from './helpers';

const NOW = Date.UTC(2026, 10, 23, 18, 5);
const DAY = 86_400_000;

function device(overrides: Partial<DeviceView> = {}): DeviceView {
  return {
    id: 'dev-1',
    label: 'Firefox 133 on Windows',
    createdAt: NOW - 20 * DAY,
    lastUsedAt: NOW - 2 * DAY,
    expiresAt: NOW + 10 * DAY,
    current: false,
    ...overrides,
  };
}

function model(overrides: Partial<SettingsPageModel> = {}): SettingsPageModel {
  return {
    siteName: 'Acme Files',
    words: EN,
    mountPath: '/2fa',
    csrfToken: 'csrf-token-123',
    backHref: '/',
    email: 'a•••e@acme.test',
    required: true,
    enabled: true,
    emailCodes: true,
    blockClients: false,
    clientsBlockedByAccount: false,
    enforcedByAccount: false,
    method: 'sms',
    methods: channelChoices(['email', 'sms', 'voice']),
    enrolments: [],
    phone: '•••• 0006',
    devices: [
      device(),
      device({
        id: 'dev-2',
        label: 'Chrome 131 on macOS',
        createdAt: NOW - 3 * DAY,
        lastUsedAt: NOW,
        expiresAt: NOW + 27 * DAY,
        current: true,
        placeHint: '203.0.113.x',
      }),
    ],
    recoveryCodesLeft: 7,
    sessions: [{ id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131 on macOS', current: true }],
    ...overrides,
  };
}

const radio = (page: string, value: string) =>
  only(tags(page, 'input'), (t) => t.attrs.get('name') === 'method' && t.attrs.get('value') === value);
const formFor = (page: string, action: string) => forms(page).filter((f) => f.includes(`action="${action}"`));

describe('formatDate', () => {
  it('writes day, short month, year and 24-hour time in UTC', () => {
    expect(formatDate(NOW, EN)).toBe('23 Nov 2026, 18:05 UTC');
    expect(formatDate(Date.UTC(2027, 0, 2, 0, 7), EN)).toBe('2 Jan 2027, 00:07 UTC');
  });

  it('does not throw on an invalid time', () => {
    expect(formatDate(Number.NaN, EN)).toBe(strings.unknownDate);
    expect(formatDate(8.64e15 + 1, EN)).toBe(strings.unknownDate);
  });
});

describe('renderSettingsPage', () => {
  const page = renderSettingsPage(model());

  it('is a safe page: one hashed stylesheet, no script or style attributes, _csrf in every form', () => {
    expectSafePage(page, 'csrf-token-123', STYLESHEET, STYLESHEET_HASH);
    expectSafePage(
      renderSettingsPage(
        model({
          devices: [],
          phone: null,
          methods: channelChoices(['email'], { email: 'a•••e@acme.test', phone: null }),
          recoveryCodesLeft: 0,
        }),
      ),
      'csrf-token-123',
      STYLESHEET,
      STYLESHEET_HASH,
    );
  });

  it('posts each form to its route under mountPath', () => {
    const actions = tags(page, 'form').map((t) => t.attrs.get('action'));
    expect(actions).toEqual([
      '/2fa/settings/disable',
      '/2fa/settings/method',
      '/2fa/settings/email-codes',
      '/2fa/settings/phone/start',
      '/2fa/settings/devices/revoke',
      '/2fa/settings/devices/revoke',
      '/2fa/settings/devices/revoke-all',
      '/2fa/settings/clients',
      '/2fa/settings/recovery-codes',
    ]);
    const trailing = renderSettingsPage(model({ mountPath: '/auth/2fa/' }));
    expect(tags(trailing, 'form').map((t) => t.attrs.get('action'))).toContain('/auth/2fa/settings/method');
  });

  it('has the sections, a wider card and a Back link', () => {
    for (const heading of [
      'How you confirm it’s you',
      'Phone number',
      'Trusted browsers',
      'Apps that can’t ask for a code',
      'Recovery codes',
    ]) {
      expect(page).toMatch(new RegExp(`<h2 id="[a-z-]+">${heading}</h2>`));
    }
    expect(page).toContain('<main class="medium">');
    expect(only(tags(page, 'a')).attrs.get('href')).toBe('/');
    expect(page).toContain('>Back</a>');
  });

  it('never lets the Back link become a script URL', () => {
    expect(only(tags(renderSettingsPage(model({ backHref: 'javascript:alert(1)' })), 'a')).attrs.get('href')).toBe('/');
  });

  describe('method', () => {
    it('offers email, text message and phone call as radios named "method", the current one checked', () => {
      const all = tags(page, 'input').filter((t) => t.attrs.get('name') === 'method');
      expect(all.map((t) => [t.attrs.get('type'), t.attrs.get('value'), t.attrs.has('checked')])).toEqual([
        ['radio', 'email', false],
        ['radio', 'sms', true],
        ['radio', 'voice', false],
      ]);
      const form = formFor(page, '/2fa/settings/method')[0] ?? '';
      expect(form).toContain('<button type="submit" class="btn-secondary">Save</button>');
      expect(form).toContain('<label for="method-voice">Phone call</label>');
      expect(visibleText(form)).toContain('a•••e@acme.test');
    });

    it('disables the phone methods without a verified phone, saying why', () => {
      const none = renderSettingsPage(
        model({ method: 'email', methods: channelChoices(['email'], { email: 'a•••e@acme.test', phone: null }), phone: null }),
      );
      expect(radio(none, 'email').attrs.has('disabled')).toBe(false);
      expect(radio(none, 'email').attrs.has('checked')).toBe(true);
      for (const m of ['sms', 'voice']) {
        const input = radio(none, m);
        expect(input.attrs.has('disabled')).toBe(true);
        const hintId = input.attrs.get('aria-describedby');
        expect(none).toContain(`<p class="hint" id="${hintId}">Add a phone number first</p>`);
      }
      expect(withoutStyle(page)).not.toContain('Add a phone number first');
      expect(tags(page, 'input').some((t) => t.attrs.has('disabled'))).toBe(false);
    });
  });

  describe('phone', () => {
    it('shows the masked number and "Change phone number"', () => {
      const form = formFor(page, '/2fa/settings/phone/start')[0] ?? '';
      expect(visibleText(form)).toBe('Change phone number');
      expect(page).toContain('<p class="value">•••• 0006</p>');
    });

    it('shows "None" and "Add a phone number" without one', () => {
      const none = renderSettingsPage(
        model({ phone: null, methods: channelChoices(['email'], { email: 'a•••e@acme.test', phone: null }), method: 'email' }),
      );
      expect(visibleText(formFor(none, '/2fa/settings/phone/start')[0] ?? '')).toBe('Add a phone number');
      expect(none).toContain('<p class="value muted">None</p>');
    });
  });

  describe('trusted browsers', () => {
    it('lists each device with its dates, the current one first with the "This browser" badge', () => {
      const items = Array.from(withoutStyle(page).matchAll(/<li class="device">[\s\S]*?<\/li>/g), (m) => m[0]);
      expect(items).toHaveLength(2);
      const [current = '', other = ''] = items;
      expect(current).toContain('Chrome 131 on macOS <span class="badge">This browser</span>');
      expect(other).not.toContain('This browser</span>');
      expect(visibleText(current)).toContain('Trusted 20 Nov 2026, 18:05 UTC');
      expect(visibleText(current)).toContain('Last used 23 Nov 2026, 18:05 UTC');
      expect(visibleText(current)).toContain('Location 203.0.113.x');
      expect(visibleText(current)).toContain('Expires 20 Dec 2026, 18:05 UTC');
      expect(current).toContain(`<time datetime="${new Date(NOW).toISOString()}">23 Nov 2026, 18:05 UTC</time>`);
      expect(visibleText(current)).toContain(strings.revokeCurrentHint);
      expect(other).not.toContain('Location');
      expect(visibleText(other)).not.toContain(strings.revokeCurrentHint);
    });

    it('has one Revoke button per device, posting its id as "deviceId", named for screen readers', () => {
      const revoke = formFor(page, '/2fa/settings/devices/revoke');
      expect(revoke).toHaveLength(2);
      const buttons = revoke.map((f) => only(tags(f, 'button')));
      expect(buttons.map((b) => [b.attrs.get('name'), b.attrs.get('value')])).toEqual([
        ['deviceId', 'dev-2'],
        ['deviceId', 'dev-1'],
      ]);
      expect(visibleText(revoke[0] ?? '')).toBe('Revoke Chrome 131 on macOS (this browser)');
      expect(visibleText(revoke[1] ?? '')).toBe('Revoke Firefox 133 on Windows');
    });

    it('has a Revoke all button', () => {
      const all = formFor(page, '/2fa/settings/devices/revoke-all');
      expect(all).toHaveLength(1);
      expect(visibleText(all[0] ?? '')).toBe('Revoke all');
      expect(tags(all[0] ?? '', 'button')[0]?.attrs.has('name')).toBe(false);
    });

    it('says so when there are none, without revoke buttons', () => {
      const empty = renderSettingsPage(model({ devices: [] }));
      expect(visibleText(empty)).toContain(strings.devicesEmpty);
      expect(empty).not.toContain('/devices/revoke');
      expect(withoutStyle(empty)).not.toContain('class="device');
    });

    it('does not reorder the caller’s array', () => {
      const devices = [device({ id: 'a' }), device({ id: 'b', current: true })];
      renderSettingsPage(model({ devices }));
      expect(devices.map((d) => d.id)).toEqual(['a', 'b']);
    });
  });

  describe('apps that can’t ask for a code', () => {
    const clientsForm = (p: string) => formFor(p, '/2fa/settings/clients');

    it('offers to block them, posting blocked=1', () => {
      const [form = ''] = clientsForm(page);
      expect(visibleText(form)).toBe('Block these apps');
      expect(only(tags(form, 'button')).attrs.get('value')).toBe('1');
      expect(visibleText(page)).toContain(strings.clientsAllowed);
    });

    it('once blocked, offers to allow them again (blocked=0), saying a code comes first', () => {
      const blocked = renderSettingsPage(model({ blockClients: true }));
      const [form = ''] = clientsForm(blocked);
      expect(visibleText(form)).toBe('Allow these apps again');
      expect(only(tags(form, 'button')).attrs.get('value')).toBe('0');
      expect(visibleText(blocked)).toContain(strings.clientsBlocked);
      expect(visibleText(blocked)).toContain(strings.allowClientsHint);
    });

    it('says the organisation blocks them, with no switch, when the account does', () => {
      const byAccount = renderSettingsPage(model({ clientsBlockedByAccount: true, blockClients: false }));
      expect(clientsForm(byAccount)).toHaveLength(0);
      expect(visibleText(byAccount)).toContain(strings.clientsBlockedByAccount);
    });
  });

  describe('recovery codes', () => {
    it('says how many are left and warns that regenerating kills the old ones', () => {
      expect(visibleText(page)).toContain('You have 7 unused recovery codes.');
      const form = formFor(page, '/2fa/settings/recovery-codes')[0] ?? '';
      const button = only(tags(form, 'button'));
      expect(visibleText(form)).toBe('Generate new recovery codes');
      expect(page).toContain(`id="${button.attrs.get('aria-describedby')}">${strings.recoveryRegenerateWarning}</p>`);
      expect(visibleText(renderSettingsPage(model({ recoveryCodesLeft: 1 })))).toContain('You have 1 unused recovery code.');
    });

    it('has no warning when there are none left', () => {
      const none = renderSettingsPage(model({ recoveryCodesLeft: 0 }));
      expect(visibleText(none)).toContain('You have no unused recovery codes.');
      expect(none).not.toContain(strings.recoveryRegenerateWarning);
    });
  });

  describe('status', () => {
    it.each([
      [true, true, 'Your organisation requires two-step verification.'],
      [true, false, 'Two-step verification is on for your account.'],
      [false, false, 'Two-step verification is off for your account.'],
    ])('required=%s enforcedByAccount=%s', (required, enforcedByAccount, text) => {
      const out = renderSettingsPage(model({ required, enforcedByAccount }));
      expect(out).toMatch(new RegExp(`<p class="status status-(on|off)">${text}</p>`));
    });
  });

  describe('the user’s own switch', () => {
    it('off: a form to turn it on with the method to prove, unavailable methods disabled', () => {
      const out = renderSettingsPage(
        model({
          required: false,
          enabled: false,
          methods: channelChoices(['email'], { email: 'a•••e@acme.test', phone: null }),
          phone: null,
        }),
      );
      const form = only(tags(out, 'form'), (t) => t.attrs.get('action') === '/2fa/settings/enable');
      expect(form.attrs.get('method')).toBe('post');
      const radios = tags(out, 'input').filter((t) => t.attrs.get('id')?.startsWith('enable-'));
      expect(radios.map((r) => [r.attrs.get('value'), r.attrs.has('disabled')])).toEqual([
        ['email', false],
        ['sms', true],
        ['voice', true],
      ]);
      expect(visibleText(out)).toContain(strings.enableButton);
    });

    it('on by the user: a button to turn it off; enforced by the account: neither', () => {
      const own = renderSettingsPage(model({ required: true, enabled: true, enforcedByAccount: false }));
      expect(tags(own, 'form').map((t) => t.attrs.get('action'))).toContain('/2fa/settings/disable');
      const enforced = renderSettingsPage(model({ required: true, enabled: false, enforcedByAccount: true }));
      const actions = tags(enforced, 'form').map((t) => t.attrs.get('action'));
      expect(actions).not.toContain('/2fa/settings/disable');
      expect(actions).not.toContain('/2fa/settings/enable');
    });
  });

  it('shows a notice', () => {
    const out = renderSettingsPage(model({ notice: { kind: 'info', text: CHANNEL_STRINGS.voice.chosen } }));
    expect(only(tags(out, 'div'), (t) => t.attrs.get('role') === 'status').attrs.get('class')).toContain('notice-info');
    expect(visibleText(out)).toContain('Note: From now on, we’ll call you with your codes.');
  });

  it('escapes every attacker-reachable value: labels, place hints, ids, phone, email, site name', () => {
    const out = renderSettingsPage(
      model({
        siteName: EVIL,
        words: EN,
        csrfToken: EVIL,
        email: EVIL,
        phone: EVIL,
        mountPath: `/2fa${EVIL}`,
        backHref: `/${EVIL}`,
        notice: { kind: 'error', text: EVIL },
        devices: [device({ id: EVIL, label: EVIL, placeHint: EVIL, current: true })],
      }),
    );
    expect(out).not.toMatch(/<script|<img/i);
    expect(out).toContain(`<p class="device-name">${EVIL_ESCAPED} <span class="badge">`);
    expect(out).toContain(`<dd>${EVIL_ESCAPED}</dd>`);
    expect(out).toContain(`<p class="value">${EVIL_ESCAPED}</p>`);
    expect(out).toContain(`name="deviceId" value="${EVIL_ESCAPED}"`);
    expect(out).toContain(`<header class="site medium">${EVIL_ESCAPED}</header>`);
    expectSafePage(out, EVIL_ESCAPED, STYLESHEET, STYLESHEET_HASH);
  });
});
