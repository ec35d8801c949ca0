import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { CreditBalance } from '@/components/credit-balance';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Cueframe', template: '%s — Cueframe' },
  description:
    'Type a topic and get a narrated video. Cueframe renders it on the server, so you can close the tab and come back to a finished MP4.',
  applicationName: 'Cueframe',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7fb' },
    { media: '(prefers-color-scheme: dark)', color: '#0e1118' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* Controls that only work with JavaScript (a confirmation, the clipboard) carry .needs-js and are
            hidden when scripting is off, rather than shown as buttons that do nothing. Markup inside
            <noscript>, which browsers read only with scripting off. */}
        <noscript dangerouslySetInnerHTML={{ __html: '<style>.needs-js{display:none!important}</style>' }} />
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container site-header-inner">
            <Link href="/" className="brand">
              <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
                <rect width="32" height="32" rx="8" fill="var(--accent)" />
                <path d="M12 9.5v13l10.5-6.5z" fill="var(--accent-contrast)" />
              </svg>
              <span>Cueframe</span>
            </Link>
            <nav aria-label="Main">
              <CreditBalance />
              <Link href="/#videos" className="nav-link">
                Your videos
              </Link>
            </nav>
          </div>
        </header>
        <main id="main" className="container main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">Cueframe renders on the server — close the tab any time and pick up where you left off.</div>
        </footer>
      </body>
    </html>
  );
}
