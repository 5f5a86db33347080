import { check } from './check.cjs';

const load = (specifier) => (specifier.endsWith('.json') ? import(specifier, { with: { type: 'json' } }) : import(specifier));
const result = await check(load, (specifier) => import.meta.resolve(specifier));
console.log(`RESULT ${JSON.stringify(result)}`);
