import { apiUser } from '../../lib/bff';

/** A route handler calling the API with the session's token (the same session as the page's). */
export async function GET() {
  return Response.json({ apiUser: await apiUser() });
}
