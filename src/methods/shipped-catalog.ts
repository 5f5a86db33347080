import { buildCatalog, SHIPPED_STRINGS, type Catalog } from '../views/catalog';
import { METHODS } from './registry';

let shipped: Catalog | undefined;

/** The shipped words of the library and of every registered method, without a host's `strings`: for channels a host builds itself. */
export function shippedCatalog(): Catalog {
  shipped ??= buildCatalog({ core: SHIPPED_STRINGS, methods: METHODS }, undefined);
  return shipped;
}
