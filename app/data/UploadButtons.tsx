/** File pickers for uploads: one CSV file, one text file, or an image folder (webkitdirectory) or several image files. */
import type { ChangeEvent } from 'react';

type OnFiles = (files: File[]) => void;

const take = (on: OnFiles) => (e: ChangeEvent<HTMLInputElement>) => {
  const files = [...(e.target.files ?? [])];
  e.target.value = ''; // choosing the same file again still fires a change
  if (files.length) on(files);
};

// React passes unknown lowercase attributes through; the DOM typings do not list this one.
const directory = { webkitdirectory: '', directory: '' } as Record<string, string>;

export function CsvUploadButton({ onFiles, busy, replace }: { onFiles: OnFiles; busy: boolean; replace: boolean }) {
  return (
    <div className="upload-row">
      <label className="upload-button">
        {replace ? 'Replace CSV file…' : 'Choose CSV file…'}
        <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" aria-label="Upload CSV file" disabled={busy} onChange={take(onFiles)} />
      </label>
    </div>
  );
}

export function TextUploadButton({ onFiles, busy, replace }: { onFiles: OnFiles; busy: boolean; replace: boolean }) {
  return (
    <div className="upload-row">
      <label className="upload-button">
        {replace ? 'Replace text file…' : 'Choose text file…'}
        <input type="file" accept=".txt,.md,text/plain" aria-label="Upload text file" disabled={busy} onChange={take(onFiles)} />
      </label>
    </div>
  );
}

export function ImageUploadButtons({ onFiles, busy }: { onFiles: OnFiles; busy: boolean }) {
  return (
    <div className="upload-row">
      <label className="upload-button">
        Choose folder…
        <input type="file" {...directory} multiple aria-label="Upload image folder" disabled={busy} onChange={take(onFiles)} />
      </label>
      <label className="upload-button">
        Choose images…
        <input type="file" accept="image/*" multiple aria-label="Upload image files" disabled={busy} onChange={take(onFiles)} />
      </label>
    </div>
  );
}
