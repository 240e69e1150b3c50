import type { DocumentSlice } from './documentSlice';
import type { SessionSlice } from './sessionSlice';

/** The editor store: the document (undoable, saved) and the session around it. */
export type EditorState = DocumentSlice & SessionSlice;
