import { Document } from "./document.tsx";

export function ErrorPage(props: { status: number; title: string; message: string; requestId?: string }) {
  return (
    <Document title={`${props.title} · Pokynano`} bodyClass="centered-page">
      <main class="error-card" id="main">
        <p class="error-status">{props.status}</p>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.requestId ? <p class="muted small">Request id: <code>{props.requestId}</code></p> : null}
        <p><a href="/">Back to Pokynano</a></p>
      </main>
    </Document>
  );
}
