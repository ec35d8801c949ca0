// `next lint` is gone in Next.js 16; ESLint runs directly with Next's flat configs.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // fluent-ffmpeg is archived upstream; it stays behind lib/media.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['lib/media/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'fluent-ffmpeg', message: 'Use lib/media instead.' }] }],
    },
  },
  {
    // The queue is a generic durable task queue: it gets what to run and what a dead task means from
    // its caller (lib/queue/registry.ts) and never reaches up into the video domain.
    files: ['lib/queue/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'fluent-ffmpeg', message: 'Use lib/media instead.' }],
        patterns: [{
          group: ['@/lib/videos', '@/lib/videos/*', '@/lib/pipeline', '@/lib/pipeline/*', '@/lib/providers', '@/lib/providers/*',
            '@/lib/owners', '@/lib/owners/*', '@/lib/webhooks', '@/lib/webhooks/*', '@/lib/usage', '@/lib/usage/*',
            '**/videos/**', '**/pipeline/**', '**/providers/**', '**/owners/**', '**/webhooks/**', '**/usage/**'],
          message: 'lib/queue is a generic task queue: take what it needs through the TaskRegistry (lib/queue/registry.ts).',
        }],
      }],
    },
  },
  {
    // Test fixtures named use* are vitest set-up helpers, not React hooks.
    files: ['tests/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'react-hooks/immutability': 'off' },
  },
  // .vercel/output is `npm run check:vercel`'s build, compiled code like .next.
  { ignores: ['.next/**', '.vercel/**', 'node_modules/**', '.data/**', 'next-env.d.ts', 'test-artifacts/**'] },
];

export default config;
