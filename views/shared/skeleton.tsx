/** Grey placeholder lines for a pane that is still loading (styles: .skeleton in app.css). */
export function Skeleton(props: { lines?: number; indicator?: boolean }) {
  return (
    <div class={`skeleton${props.indicator ? " htmx-indicator" : ""}`} aria-hidden="true">
      {Array.from({ length: props.lines ?? 3 }, () => (
        <span class="skeleton-line"></span>
      ))}
    </div>
  );
}
