// For BFF tests (packages/bff's, the demo's Chromium tests): a resource server to proxy to, and a
// browser made of a cookie jar. The BFF stack itself stays in packages/bff (no cycle).
export * from './browser.js';
export * from './resourceServer.js';
