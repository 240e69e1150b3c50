/** Messages from the benchmark worker to its page. */
export type WorkerMessage =
  { readonly kind: 'log'; readonly line: string } | { readonly kind: 'report'; readonly text: string } | { readonly kind: 'error'; readonly message: string };
