import type { LoaderFunctionArgs } from 'react-router';
import { bff } from '../bff.server';

// The BFF's endpoints (/bff/*) and its proxy (/api/*) as resource routes: the BFF answers Web
// `Request`s, so it mounts in the framework's own route handlers.
const handle = async ({ request }: LoaderFunctionArgs) =>
  (await bff.handle(request)) ?? new Response('Not found', { status: 404 });

export const loader = handle;
export const action = handle;
