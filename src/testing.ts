/**
 * `express-device-2fa/testing`: the contract suite for a durable store of your own, to run in your
 * tests with any test runner (it uses node:assert).
 */
export { durableStoreContract, type ContractCase } from './testing/durable-store-contract';
