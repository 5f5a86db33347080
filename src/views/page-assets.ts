import type { MethodView } from './method-view';
import { RECOVERY_CODES_SCRIPT, recoveryCodesScript } from './recovery-codes-script';

/** The static files the library's own pages load, served like a method's (see MethodView.assets). */
export const PAGE_ASSETS: NonNullable<MethodView['assets']> = {
  [RECOVERY_CODES_SCRIPT]: { type: 'text/javascript; charset=utf-8', body: recoveryCodesScript() },
};
