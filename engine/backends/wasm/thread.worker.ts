/** A WASM backend helper thread in a browser: sent its ThreadInit, it runs threadLoop (threads.ts). */
import { threadLoop, type ThreadInit } from './threadLoop';

self.onmessage = (e: MessageEvent<ThreadInit>) => threadLoop(e.data, () => self.postMessage('ready'));
