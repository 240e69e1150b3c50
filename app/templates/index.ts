/** The Templates menu offers the engine's starting graphs (engine/graph/templates), first opening when there is no autosave. */
export { TEMPLATES, templateById, type Template } from '../../engine/graph/templates';
