'use server';

import { apiUser } from '../lib/bff';

/** A server action calling the API with the session's token. */
export async function whoAmI(): Promise<string> {
  return apiUser();
}
