import { Document } from "./document.tsx";

export function ErrorPage(props: { status: number; title: string; message: string; requestId?: string; requestIdLabel?: string; locale: string }) {
  return (
    <Document title={`${props.title} · Pokynano`} bodyClass="centered-page" locale={props.locale}>
      <main class="card narrow" id="main">
        <p class="error-status">{props.status}</p>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.requestId ? (
          <p class="muted small">
            {props.requestIdLabel ?? "Request id:"} <code>{props.requestId}</code>
          </p>
        ) : null}
        <p>
          <a href="/">Pokynano</a>
        </p>
      </main>
    </Document>
  );
}
