// The root layout: one small stylesheet, the app state provider and the shell.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AppProvider } from '../components/AppProvider';
import { AppShell } from '../components/AppShell';
import './globals.css';

export const metadata: Metadata = {
  title: 'zk-coordinator dashboard',
  description: 'Cluster, tree, services and config of a zk-coordinator ensemble',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppProvider>
          <AppShell>{children}</AppShell>
        </AppProvider>
      </body>
    </html>
  );
}
