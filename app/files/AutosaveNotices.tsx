/**
 * Notices about autosave itself, under the toolbar: an autosave that could not be opened (kept
 * aside, offered for download, what was recovered instead) and writes that fail. They stay until
 * dismissed: each one says how not to lose work.
 */
import { useStore } from 'zustand';
import { useEditorStore } from '../store/context';
import type { AutosaveStatusStore } from './autosaveStatus';
import { heldFileName, unreadableFileName } from './autosaveStatus';
import { fileNameFor, serializeDocument } from './documentFile';
import { downloadText } from '../browser/download';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function AutosaveNotices({ status }: { status: AutosaveStatusStore }) {
  const store = useEditorStore();
  const unreadable = useStore(status, (s) => s.unreadable);
  const failure = useStore(status, (s) => s.failure);
  const off = useStore(status, (s) => s.off);
  const otherTab = useStore(status, (s) => s.otherTab);
  const held = useStore(status, (s) => s.held);
  if (unreadable === null && failure === null && off === null && otherTab === null && held === null) return null;

  const downloadGraph = () => {
    const { doc } = store.getState();
    downloadText(serializeDocument(doc), fileNameFor(doc));
  };
  const recovered = unreadable?.recovered;
  return (
    <div className="autosave-notices">
      {otherTab !== null && (
        <section className="autosave-notice" role="alert" aria-label="Changed in another tab">
          <h2 className="autosave-notice-title">This graph was changed in another tab</h2>
          <p>
            Another tab saved its version while this tab had changes of its own. Autosave waits until you choose which to keep: the other is not written over
            until then. Download this tab&apos;s graph first to keep both.
          </p>
          <div className="autosave-notice-actions">
            <button type="button" className="btn is-primary" onClick={() => otherTab.keepMine()}>
              Keep this tab&apos;s version
            </button>
            <button type="button" className="btn" onClick={() => otherTab.takeTheirs()}>
              Open the other tab&apos;s version
            </button>
            <button type="button" className="btn" onClick={downloadGraph}>
              Download this tab&apos;s graph
            </button>
          </div>
        </section>
      )}
      {held !== null && (
        <section className="autosave-notice" role="alert" aria-label="Kept from another tab">
          <h2 className="autosave-notice-title">A tab&apos;s unsaved version was kept</h2>
          <p>
            A tab was hidden or closed while it waited for you to choose between its version of the graph and another tab&apos;s, so its version was not
            autosaved. It is kept in this browser: open it here (it then becomes the autosave: download the graph open now first to keep that too), or download
            it.
          </p>
          {held.doc === undefined && <p className="autosave-notice-reason">It cannot be opened as a graph; download it to look at it.</p>}
          <div className="autosave-notice-actions">
            {held.doc !== undefined && (
              <button
                type="button"
                className="btn is-primary"
                onClick={() => {
                  if (held.doc !== undefined && store.getState().loadDocument(held.doc).ok) status.getState().dismissHeld();
                }}
              >
                Open the kept version
              </button>
            )}
            <button type="button" className="btn" onClick={() => downloadText(held.text, heldFileName(held))}>
              Download the kept version
            </button>
            <button type="button" className="btn" onClick={() => status.getState().dismissHeld()}>
              Dismiss
            </button>
          </div>
        </section>
      )}
      {unreadable !== null && (
        <section className="autosave-notice" role="alert" aria-label="Autosave could not be opened">
          <h2 className="autosave-notice-title">
            {unreadable.earlier ? 'An earlier autosave could not be opened' : 'Your autosaved graph could not be opened'}
          </h2>
          <p className="autosave-notice-reason">{unreadable.reason}</p>
          <p>
            {unreadable.keptAs !== undefined
              ? 'It is kept in this browser, unchanged, and autosave will not write over it. Download it to keep it as a file; ' +
                'until you dismiss this notice it is offered again on every visit.'
              : 'Keeping a copy of it in this browser failed, so autosave is off until you reload. Download it now to keep it.'}
          </p>
          {!unreadable.earlier && (
            <p>
              {recovered !== undefined
                ? `Opened what could be recovered from it: ${plural(recovered.nodes.kept, 'node')} of ${recovered.nodes.of.toLocaleString('en-US')}` +
                  ` and ${plural(recovered.edges.kept, 'edge')} of ${recovered.edges.of.toLocaleString('en-US')}, as “${recovered.doc.meta.name}”.`
                : 'Nothing could be recovered from it, so the default template is open instead.'}
            </p>
          )}
          <div className="autosave-notice-actions">
            <button type="button" className="btn is-primary" onClick={() => downloadText(unreadable.text, unreadableFileName(unreadable))}>
              Download unreadable autosave
            </button>
            <button type="button" className="btn" onClick={() => status.getState().dismissUnreadable()}>
              Dismiss
            </button>
          </div>
        </section>
      )}
      {(failure !== null || off !== null) && (
        <section className="autosave-notice is-failure" role="alert" aria-label="Autosave failed">
          <h2 className="autosave-notice-title">{off !== null ? 'Autosave is off' : 'Autosave failed'}</h2>
          <p>
            {off !== null
              ? `This browser's storage could not be read (${off}), so autosave will not write over what it holds. Download your graph to keep it.`
              : failure}
          </p>
          <div className="autosave-notice-actions">
            <button type="button" className="btn is-primary" onClick={downloadGraph}>
              Download graph
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                status.getState().setFailure(null);
                status.getState().setOff(null);
              }}
            >
              Dismiss
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
