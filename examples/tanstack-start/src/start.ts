import { createMiddleware, createStart } from '@tanstack/react-start';
import { withRequestScope } from '@tokenlane/bff';

/** Every server function of one request reads the session once: one request scope around it. */
const sessionScope = createMiddleware().server(({ next }) => withRequestScope(next));

export const startInstance = createStart(() => ({ requestMiddleware: [sessionScope] }));
