/**
 * The status line over the canvas: refusals and failures (role="alert") and confirmations
 * (role="status"). Both regions stay mounted so screen readers announce changes.
 */
import { useEffect } from 'react';
import { useEditor, useEditorStore } from '../store/context';

/** How long a notice stays before it fades, in ms. Errors stay longer: they need reading. */
const LIFETIME = { info: 4000, error: 10000 } as const;

export function Notices() {
  const notice = useEditor((s) => s.notice);
  const store = useEditorStore();

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => {
      if (store.getState().notice?.id === notice.id) store.getState().dismissNotice();
    }, LIFETIME[notice.kind]);
    return () => clearTimeout(timer);
  }, [notice, store]);

  const dismiss = (
    <button type="button" className="notice-close" aria-label="Dismiss message" onClick={() => store.getState().dismissNotice()}>
      ×
    </button>
  );
  return (
    <div className="notices">
      <div role="alert" className="notice-region">
        {notice?.kind === 'error' && (
          <div className="notice is-error" key={notice.id}>
            <span>{notice.text}</span>
            {dismiss}
          </div>
        )}
      </div>
      <div role="status" className="notice-region">
        {notice?.kind === 'info' && (
          <div className="notice is-info" key={notice.id}>
            <span>{notice.text}</span>
            {dismiss}
          </div>
        )}
      </div>
    </div>
  );
}
