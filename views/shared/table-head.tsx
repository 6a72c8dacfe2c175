/** A data table's header: the column titles, then an unlabelled-looking column for row actions. */
export function TableHead(props: { columns: string[]; actions: string }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
        <th scope="col">
          <span class="visually-hidden">{props.actions}</span>
        </th>
      </tr>
    </thead>
  );
}
