'use client';
// The page links; the current page is marked for screen readers with aria-current.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const PAGES = [
  { href: '/cluster', label: 'Cluster' },
  { href: '/tree', label: 'Tree' },
  { href: '/services', label: 'Services' },
  { href: '/config', label: 'Config' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/audit', label: 'Audit' },
];

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="nav">
      <ul>
        {PAGES.map((page) => {
          const current = pathname === page.href || pathname.startsWith(`${page.href}/`);
          return (
            <li key={page.href}>
              <Link href={page.href} aria-current={current ? 'page' : undefined}>
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
