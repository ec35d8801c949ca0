import os from 'node:os';
import type { NextConfig } from 'next';
import { serverActionOrigins } from './lib/http/allowed-origins';
import { devOrigins } from './lib/http/dev-origins';
import { MAX_BODY_BYTES } from './lib/http/request-limits';

// What a pipeline step needs at run time that no import reveals to the tracer: the one ffmpeg binary the code
// resolves first (with the installer's small package that reports its path) and the two fonts cards are drawn
// with. Only the bundles that run steps get them.
const mediaFiles = [
  './node_modules/@ffmpeg-installer/ffmpeg/{index.js,package.json,lib/verify-file.js}',
  './node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
  './node_modules/@ffmpeg-installer/linux-x64/package.json',
  './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
];

// The offline speech engine (eSpeak NG as WebAssembly, with its voices: 18 MB), loaded by lib/media/speech.ts
// from the project root when the local provider narrates, which only the worker functions do. No import
// reveals it to the tracer, so it ships to those functions alone.
const speechEngine = [
  './node_modules/espeak-ng/package.json',
  './node_modules/espeak-ng/LICENSE',
  './node_modules/espeak-ng/dist/espeak-ng.js',
  './node_modules/espeak-ng/dist/espeak-ng.wasm',
];

// Never deployed: PGlite is the local default and never runs on Vercel (a database URL is required there), and
// ffmpeg-static's binary, which Vercel's install downloads, is only a fallback for platforms the installer lacks.
// Turbopack reaches external packages through hashed links in .next/node_modules, hence both forms.
const neverDeployed = [
  './node_modules/@electric-sql/pglite/**',
  './.next/node_modules/@electric-sql/pglite-*',
  './node_modules/ffmpeg-static/**',
];

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files and the ffmpeg packages ship binaries; bundling them breaks their path lookups.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'fluent-ffmpeg',
    'pg',
  ],
  outputFileTracingExcludes: { '/**': neverDeployed },
  outputFileTracingIncludes: {
    '/**': ['./db/migrations/*.sql', './db/functions/*.sql'],
    // Every route that may run a pipeline step needs the media binaries, the fonts and the speech engine.
    '/api/video/process-queue': [...mediaFiles, ...speechEngine],
    '/api/admin/process-next': [...mediaFiles, ...speechEngine],
  },
  poweredByHeader: false,
  // `next dev` serves its scripts only to pages opened at these hosts: every address this machine has (the
  // "Network:" one it prints among them), plus DEV_ORIGINS (comma-separated hosts or origins) for names
  // such as a tunnel or a LAN hostname. Next.js reads this setting from here alone, before any app code runs.
  allowedDevOrigins: devOrigins(os.networkInterfaces(), process.env.DEV_ORIGINS),
  experimental: {
    serverActions: {
      // The Generate form's Server Action takes what the JSON route takes: the same body limit, and posts
      // from the sites in ALLOWED_ORIGINS, which proxy.ts and the API already let through (Next.js's own
      // origin check would otherwise answer them with a bare 500). Both read here because Next.js takes
      // these settings from its config alone.
      allowedOrigins: serverActionOrigins(process.env.ALLOWED_ORIGINS),
      bodySizeLimit: MAX_BODY_BYTES,
    },
  },
  async headers() {
    return [
      // Documents: pages, assets, and stored files, which a browser may open in a tab.
      { source: '/((?!api/).*)', headers: securityHeaders() },
      { source: '/api/files/:path*', headers: securityHeaders() },
      // JSON routes render nothing, so they get the API policy. Its values hold no ':', which matters:
      // Next.js compiles each matched header value containing ':' as a path pattern on every request,
      // and for the document CSP that was ~13 KB per request that outlived the young generation.
      { source: '/api/:path((?!files/).*)', headers: apiSecurityHeaders() },
    ];
  },
};

/** Sent on every response. Next.js hydrates with inline scripts, so script-src needs 'unsafe-inline';
 * dev tooling also needs 'unsafe-eval'. Media may come from Vercel Blob's https hosts. */
function securityHeaders(): { key: string; value: string }[] {
  const dev = process.env.NODE_ENV !== 'production';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob: https:",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  ];
}

/** For JSON: nothing may load or frame it (OWASP's REST policy). */
function apiSecurityHeaders(): { key: string; value: string }[] {
  const api = "default-src 'none'; frame-ancestors 'none'";
  return securityHeaders().map((h) => (h.key === 'Content-Security-Policy' ? { ...h, value: api } : h));
}

export default nextConfig;
