import type { NextConfig } from 'next';

const mediaFiles = [
  './node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
  './node_modules/@ffprobe-installer/linux-x64/ffprobe',
  './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
];

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files and the ffmpeg packages ship binaries; bundling them breaks their path lookups.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@ffmpeg-installer/ffmpeg',
    '@ffprobe-installer/ffprobe',
    'ffmpeg-static',
    'fluent-ffmpeg',
    'pg',
  ],
  outputFileTracingIncludes: {
    '/**': ['./db/migrations/*.sql'],
    // Every route that may run a pipeline step needs the media binaries and fonts.
    '/api/video/process-queue': mediaFiles,
    '/api/admin/process-next': mediaFiles,
  },
  poweredByHeader: false,
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
