import type { Channel } from '../core/channel';
import type { Method, MethodId } from '../core/method';
import type { OptionRow } from '../options-schema';
import type { DeliveryMethod } from '../types';
import type { MethodView, MethodWords } from '../views/method-view';
import type { LocaleTables } from '../views/words';

/** What a method is built from, once, at start-up. */
export interface MethodSetup {
  channels: Partial<Record<DeliveryMethod, Channel>>;
  /** The method's own options (`methods.<id>` of the library's options), unchecked: the method validates them. */
  options: unknown;
  siteName: string;
  mountPath: string;
  development: boolean;
}

/**
 * One registered method: its core part (undefined when this configuration cannot offer it), its
 * views, and its words, one table per language (a host's `strings.<lang>.methods.<id>` is merged
 * over them).
 */
export interface MethodPlugin<W extends MethodWords = MethodWords> {
  readonly id: MethodId;
  readonly strings: LocaleTables<W>;
  create(setup: MethodSetup): Method | undefined;
  view?: MethodView<W>;
  /**
   * `methods.<id>` in the option table, for a method that takes options: its README line and
   * default, and (a `shape`'s) its keys, checked with a "did you mean" before `create` sees them.
   */
  readonly option?: OptionRow;
}
