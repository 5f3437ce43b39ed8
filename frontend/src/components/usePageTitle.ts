import { useEffect } from 'react';

/** Sets `<title>` to "<page> · Pathshala" while the page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pathshala` : 'Pathshala';
  }, [title]);
}
