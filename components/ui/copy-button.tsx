"use client";
/** Copies a text to the clipboard and says so (for screen readers too). */
import { useState } from "react";
import { Copy } from "./icons";

/** `text` may be a function, read when clicked (e.g. the page's URL as it is then). */
export function CopyButton({ text, label = "Copy", testId }: { text: string | (() => string); label?: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(typeof text === "function" ? text() : text);
          setState("copied");
        } catch {
          setState("failed");
        }
        setTimeout(() => setState("idle"), 2000);
      }}
      data-testid={testId}
      className="inline-flex items-center gap-1 rounded-md bg-white px-2 py-1 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
    >
      <Copy className="h-3.5 w-3.5" />
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}
