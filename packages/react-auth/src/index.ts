export * from './client.js';
export * from './react/shared.js';
export * from './react/bindings/axios.js';
