/**
 * What can go wrong with the browser's storage, sorted into the few cases a person can act on, each
 * with words that say what to do. Every store in app/storage rejects with a StorageError.
 */

/** The cases a person can act on. */
export type StorageProblem =
  /** The origin's quota is used up (QuotaExceededError). */
  | 'full'
  /** Another tab holds the database open at an older version and does not let go. */
  | 'blocked'
  /** Another tab opened a newer version of the database: this tab's code is out of date. */
  | 'outdated'
  /** The browser refuses storage (private window, site settings) or has no IndexedDB. */
  | 'refused'
  /** Anything else; the browser's own message goes with it. */
  | 'failed';

/** A storage failure, sorted; `cause` is the browser's own error. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly problem: StorageProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const nameOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : '';
const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);

/** Which case `error` (a DOMException, an Error, anything thrown by IndexedDB) is. */
export function storageProblemOf(error: unknown): StorageProblem {
  if (error instanceof StorageError) return error.problem;
  const name = nameOf(error);
  const message = messageOf(error);
  if (name === 'QuotaExceededError' || /quota|disk is full|no space/i.test(message)) return 'full';
  if (name === 'VersionError') return 'outdated';
  if (name === 'SecurityError' || /denied|security/i.test(message)) return 'refused';
  return 'failed';
}

/** What happened, in a person's words (a sentence without its full stop; `detail` is the browser's message for 'failed'). */
export function storageProblemText(problem: StorageProblem, detail = ''): string {
  switch (problem) {
    case 'full':
      return "The browser's storage is full";
    case 'blocked':
      return 'Another Wiregrad tab with an older version holds the browser storage open — close or reload that tab, then reload this one';
    case 'outdated':
      return 'Another tab opened a newer Wiregrad, which upgraded the browser storage — reload this tab to store again';
    case 'refused':
      return 'This browser does not let Wiregrad store data (a private window, or site settings)';
    case 'failed':
      return `The browser said: ${detail.length > 120 ? `${detail.slice(0, 119)}…` : detail}`;
  }
}

/** `error` as a StorageError (unchanged when it already is one). */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const problem = storageProblemOf(error);
  const message = messageOf(error) || 'IndexedDB request failed';
  return new StorageError(problem, problem === 'failed' ? message : `${storageProblemText(problem)} (${nameOf(error) || 'Error'}: ${message})`, {
    cause: error,
  });
}
