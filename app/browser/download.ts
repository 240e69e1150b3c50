/** Hands a file to the browser as a download (the one way the page saves anything to disk); returns its name. */
export function downloadBlob(blob: Blob, fileName: string): string {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; a moment later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return fileName;
}

/** Hands text to the browser as a file download. */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  downloadBlob(new Blob([text], { type }), fileName);
}
