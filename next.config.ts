import type { NextConfig } from 'next';

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
    '/api/video/process-queue': [
      './node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
      './node_modules/@ffprobe-installer/linux-x64/ffprobe',
      './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
      './node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
    ],
  },
  poweredByHeader: false,
};

export default nextConfig;
