/**
 * Opens the graph of a share link (`#graph=…`): when the page starts and whenever the fragment
 * changes. A link that does not open leaves the canvas as it was and says why.
 */
import { useEffect } from 'react';
import type { GraphDocument } from '../../engine/graph/document';
import { useEditorStore } from '../store/context';
import { readShareFragment } from './shareLink';

export function useShareLinkOpener(openShared: (doc: GraphDocument) => void): void {
  const store = useEditorStore();
  useEffect(() => {
    const read = () => {
      const link = readShareFragment(window.location.hash);
      if (link.kind === 'none') return;
      // Read once: a reload must not open the link again over the edits made since.
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
      if (link.kind === 'refused') store.getState().notify('error', link.message);
      else openShared(link.doc);
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, [store, openShared]);
}
