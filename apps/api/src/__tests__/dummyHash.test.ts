import { expect, it } from 'vitest';
import { dummyHashStarted } from '../services/passwords.js';
import { makeTestApp } from './helpers.js';

it('makes the dummy hash when the app is created, not at the first unknown-email login', async () => {
  expect(dummyHashStarted()).toBe(false);
  await makeTestApp();
  expect(dummyHashStarted()).toBe(true);
});
