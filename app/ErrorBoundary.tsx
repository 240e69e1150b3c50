/**
 * Keeps one failing view from blanking the studio: a panel that throws while rendering shows a
 * contained error (what failed, a message to copy into a bug report) and a button that mounts it
 * again, while every other panel keeps working.
 */
import { Component, Fragment, useRef, useState, type ErrorInfo, type ReactNode } from 'react';

/** How much of an error's message and stack the copyable text keeps. */
const MESSAGE_CHARS = 2000;
const STACK_LINES = 8;

/** The text a person copies from a failed panel: the panel, the error, where it was thrown. */
export function panelErrorText(panel: string, error: unknown, componentStack?: string): string {
  const name = error instanceof Error ? error.name : 'Error';
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.length > MESSAGE_CHARS ? `${raw.slice(0, MESSAGE_CHARS)}…` : raw;
  const stack =
    error instanceof Error && error.stack
      ? error.stack
          .split('\n')
          .slice(1, 1 + STACK_LINES)
          .join('\n')
      : '';
  const components = componentStack ? componentStack.trim().split('\n').slice(0, STACK_LINES).join('\n') : '';
  return [`Wiregrad: the ${panel} failed. ${name}: ${message}`, stack, components && `In:\n${components}`].filter(Boolean).join('\n');
}

interface Props {
  /** The panel's name as a person calls it ("canvas", "training panel"). */
  readonly name: string;
  readonly children: ReactNode;
}

interface State {
  readonly error: unknown;
  readonly failed: boolean;
  readonly componentStack: string | undefined;
  /** Bumped by "Reload this panel", so its children mount afresh. */
  readonly generation: number;
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: undefined, failed: false, componentStack: undefined, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.setState({ componentStack: info.componentStack ?? undefined });
    console.error(`[wiregrad] the ${this.props.name} failed`, error);
  }

  private reload = () => this.setState((s) => ({ error: undefined, failed: false, componentStack: undefined, generation: s.generation + 1 }));

  override render(): ReactNode {
    if (!this.state.failed) return <Fragment key={this.state.generation}>{this.props.children}</Fragment>;
    return <PanelError name={this.props.name} text={panelErrorText(this.props.name, this.state.error, this.state.componentStack)} onReload={this.reload} />;
  }
}

function PanelError({ name, text, onReload }: { name: string; text: string; onReload(): void }) {
  const [copied, setCopied] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so Ctrl+C copies it.
      area.current?.select();
    }
  };
  return (
    <section className="panel-error" role="alert" aria-label={`The ${name} failed`}>
      <h2 className="panel-error-title">The {name} stopped working</h2>
      <p>The rest of the studio still works and your graph is kept. Reload this panel to try again; if it fails again, copy the message into a bug report.</p>
      <textarea ref={area} className="panel-error-message" readOnly aria-label="Error message" value={text} />
      <div className="panel-error-actions">
        <button type="button" className="btn is-primary" onClick={onReload}>
          Reload this panel
        </button>
        <button type="button" className="btn" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy message'}
        </button>
      </div>
    </section>
  );
}
