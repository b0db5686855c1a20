/** The notice a page shows when it dropped or changed part of its URL (one line per parameter). */
import { Alert } from "./layout";

export function LinkNotices({ notices }: { notices: readonly string[] }) {
  if (notices.length === 0) return null;
  return (
    <div className="mb-4">
      <Alert tone="warning" title="Part of this link was not understood">
        <ul className="ml-4 list-disc">
          {notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}
