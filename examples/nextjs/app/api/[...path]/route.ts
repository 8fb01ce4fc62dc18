// The BFF's proxy (/api/*): the browser's calls go out with the session's token.
export { GET, POST } from '../../bff/[...path]/route';
