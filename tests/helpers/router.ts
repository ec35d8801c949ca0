// Next.js's app-router context, so that components calling useRouter() render outside a Next.js app
// (static markup in unit tests). Navigation itself is proven in the browser tests.
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { createElement, type ReactNode } from 'react';

const noop = () => undefined;
const router = { back: noop, forward: noop, refresh: noop, push: noop, replace: noop, prefetch: noop, bfcacheId: 'test' };

export function withAppRouter(children: ReactNode): ReactNode {
  return createElement(AppRouterContext.Provider, { value: router }, children);
}
