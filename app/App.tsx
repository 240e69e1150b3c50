/** The studio shell. For now a placeholder page: the graph editor replaces the main area. */
export function App() {
  return (
    <div className="shell">
      <header className="header">
        <img className="logo" src="/favicon.svg" alt="" width={32} height={32} />
        <div>
          <h1 className="title">Wiregrad</h1>
          <p className="tagline">Wire a graph, train it on your GPU with WebGPU, watch it learn — all in one tab.</p>
        </div>
      </header>
      <main className="main">
        <section className="placeholder" aria-labelledby="placeholder-title">
          <h2 id="placeholder-title">The graph editor is coming</h2>
          <p>
            This page will hold the canvas where you place layers and ops, connect them, and train the model
            in a background worker. The engine is being built first.
          </p>
        </section>
      </main>
    </div>
  );
}
