"use client";
/**
 * Removing an exception unmutes its findings at once, so it takes two steps: "Remove" asks, and
 * "Confirm removal" submits. The accessible names say which exception (scope and owner), so a
 * screen reader can tell the rows' buttons apart.
 */
import { useEffect, useRef, useState } from "react";
import { buttonDanger, buttonSecondary, buttonSmall } from "@/components/ui/buttons";

/** Goes inside the form that posts the exception's id. */
export function RemoveExceptionButton({ label }: { label: string }) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const remove = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirm.current?.focus();
    else if (wasAsking.current) remove.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <>
        <button ref={remove} type="button" className={`${buttonDanger} ${buttonSmall}`} onClick={() => setAsking(true)}>
          Remove<span className="sr-only"> the exception {label}</span>
        </button>
        {/* Without JavaScript there is no second step: this button removes at once. */}
        <noscript>
          <button type="submit" className={`${buttonDanger} ${buttonSmall} ml-2`}>
            Remove now<span className="sr-only"> the exception {label}</span>
          </button>
        </noscript>
      </>
    );
  }
  return (
    <span
      className="inline-flex flex-wrap items-center justify-end gap-2"
      onKeyDown={(e) => {
        if (e.key === "Escape") setAsking(false);
      }}
    >
      <button ref={confirm} type="submit" className={`${buttonDanger} ${buttonSmall}`} data-focus-key="exception-removed">
        Confirm removal<span className="sr-only"> of the exception {label}</span>
      </button>
      <button type="button" className={`${buttonSecondary} ${buttonSmall}`} onClick={() => setAsking(false)}>
        Keep<span className="sr-only"> the exception {label}</span>
      </button>
    </span>
  );
}
