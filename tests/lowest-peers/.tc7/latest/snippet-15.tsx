import { createFetchClient } from '@tokenlane/react-auth/fetch';
import { dpop } from '@tokenlane/react-auth/dpop';

export const auth = createFetchClient({ baseURL: 'https://api.example.com', dpop: dpop() });
