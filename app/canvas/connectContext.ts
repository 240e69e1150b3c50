/** Lets a node's own controls open the keyboard Connect list that the canvas owns. */
import { createContext, useContext } from 'react';

/** Opens the Connect list for a node; a no-op outside the canvas. */
export type OpenConnect = (nodeId: string) => void;

export const ConnectContext = createContext<OpenConnect>(() => {});

export const useOpenConnect = (): OpenConnect => useContext(ConnectContext);
