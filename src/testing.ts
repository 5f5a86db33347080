/**
 * `express-device-2fa/testing`: the store contract suites, for a host that writes its own store and
 * runs them in its tests. They join this entry when they move from test/stores/ into src/ (the store
 * split); until then it exports nothing.
 */
export {};
